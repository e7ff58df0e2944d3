/**
 * Go text/template for tspod's --format flags: compile once, execute per row.
 *
 *   const t = compileTemplate('{{.Names}} {{.Status}}', { name: 'ps' })
 *   t.execute(row) // → string, or throws TemplateError with Go's message
 *
 * Parse and execution errors are TspodErrors (code 'invalid-argument') whose
 * messages are Go's, e.g. `template: ps:1:2: executing "ps" at <.Foo>:
 * can't evaluate field Foo in type T`.
 */
import { TspodError } from '../../engine/errors.js'
import { TemplateExecError, executeTree } from './exec.js'
import { type TemplateFunc, builtins } from './funcs.js'
import { TemplateParseError, parseTemplates } from './parser.js'
import { podmanFuncs } from './podman-funcs.js'

export { GoTime, type GoLocation } from './gotime.js'
export { goJson, type GoJsonOptions } from './json.js'
export { sprint, sprintln, sprintValue } from './print.js'
export { sprintf } from './sprintf.js'
export { NO_VALUE, goMap, goMethods, goStruct, goTypeName } from './values.js'
export { PODMAN_TABWRITER, TabWriter, type TabWriterOptions } from './tabwriter.js'
export type { ParamType, TemplateFunc } from './funcs.js'
export { podmanFuncs } from './podman-funcs.js'

/** A function for templates: a Go-typed descriptor, or a plain JS function (variadic, untyped). */
export type FuncMap = Record<string, TemplateFunc | ((...args: any[]) => unknown)>

export interface TemplateOptions {
  /** Template name in error messages (podman uses the command name: "ps", "images", "inspect"). */
  name?: string
  /** Extra functions; they override builtins. */
  funcs?: FuncMap
  /** Add podman's functions (json, join, lower, upper, title, split, truncate, pad). Default true. */
  podmanFuncs?: boolean
}

export class TemplateError extends TspodError {
  /** Output produced before an execution error (Go writes it before failing). */
  readonly partialOutput: string
  constructor(message: string, partialOutput = '') {
    super('invalid-argument', message)
    this.name = 'TemplateError'
    this.partialOutput = partialOutput
  }
}

export interface Template {
  readonly name: string
  execute(data: unknown): string
}

function toFunc(f: TemplateFunc | ((...args: any[]) => unknown)): TemplateFunc {
  return typeof f === 'function' ? { params: [], variadic: 'any', fn: f } : f
}

export function compileTemplate(text: string, options: TemplateOptions = {}): Template {
  const name = options.name ?? 'template'
  const funcs = new Map<string, TemplateFunc>()
  if (options.podmanFuncs !== false) for (const [k, f] of Object.entries(podmanFuncs)) funcs.set(k, f)
  for (const [k, f] of Object.entries(options.funcs ?? {})) funcs.set(k, toFunc(f))
  let trees
  try {
    trees = parseTemplates(name, text, n => funcs.has(n) || Object.hasOwn(builtins, n))
  } catch (err) {
    if (err instanceof TemplateParseError) throw new TemplateError(err.message)
    throw err
  }
  const ctx = { trees, funcs, builtins }
  return {
    name,
    execute(data: unknown): string {
      try {
        return executeTree(ctx, name, data)
      } catch (err) {
        if (err instanceof TemplateExecError) throw new TemplateError(err.message, err.partialOutput)
        throw err
      }
    },
  }
}
