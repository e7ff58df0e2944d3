// The benchmarks' command-line options: `--name N`, a positive number.

/** The number after `name` on the command line, or `fallback` when it is absent or not a positive number. */
export function numberOption(name, fallback, args = process.argv.slice(2)) {
  const i = args.indexOf(name)
  const value = i >= 0 ? Number(args[i + 1]) : NaN
  return value > 0 ? value : fallback
}
