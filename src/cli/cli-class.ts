/** clipanion's Cli (and its parser cache), in a module of its own so main.ts can load them after starting the shim. */
export { Cli } from 'clipanion'
export { cacheParser } from './parser-cache.js'
