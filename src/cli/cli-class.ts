/** clipanion's Cli, in a module of its own so main.ts can load it after starting the shim. */
export { Cli } from 'clipanion'
