/**
 * Executes a parsed template against JavaScript data with Go text/template
 * semantics (see values.ts for the data model): field chains, variables,
 * pipelines, if/with/range/break/continue, template calls, function calls
 * with Go's argument checking, and Go's error messages with positions.
 */
import {
  type ArgNode, type BranchNode, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type Node, type NumberNode,
  type PipeNode, type TemplateNode, type VariableNode, nodeString,
} from './ast.js'
import { sprintValue } from './print.js'
import { type ParamType, type TemplateFunc, goParamTypeName } from './funcs.js'
import type { Tree } from './parser.js'
import { goQuote } from './quote.js'
import {
  Kind, NIL_IFACE, NO_VALUE, elem, findMethod, goTypeName, hasField, mapKeyType, isNil, isTrue, kindOf, mapGet, mapSortedEntries, typeName,
} from './values.js'

export class TemplateExecError extends Error {
  constructor(message: string, readonly partialOutput: string) {
    super(message)
  }
}

const MISSING: unique symbol = Symbol('missing')
type Final = unknown // a value or MISSING

const enum Flow { Normal, Break, Continue }

const MAX_DEPTH = 10000

function isStringSlice(a: unknown[]): boolean {
  const named = (a as { [goTypeName]?: string })[goTypeName]
  return named === undefined ? a.every(x => typeof x === 'string') : named === '[]string'
}

interface Variable {
  name: string
  value: unknown
}

export interface ExecContext {
  trees: Map<string, Tree>
  /** User functions first, as Go looks them up before builtins. */
  funcs: Map<string, TemplateFunc>
  builtins: Record<string, TemplateFunc>
}

export function executeTree(ctx: ExecContext, name: string, data: unknown): string {
  const tree = ctx.trees.get(name)
  const dot = isNil(data) ? NO_VALUE : data // Execute(w, nil): dot is the invalid value
  const s = new State(ctx, tree ?? null, name, [{ name: '$', value: dot }], 0)
  if (!tree) return s.fail(`${goQuote(name)} is an incomplete or empty template`)
  s.walk(dot, tree.root)
  return s.out
}

/** "NAME:LINE:COL" of a node, COL counted in bytes like Go. */
function errorContext(tree: Tree, n: Node): { location: string; context: string } {
  const text = tree.text.slice(0, n.pos)
  const nl = text.lastIndexOf('\n')
  const col = Buffer.byteLength(nl < 0 ? text : text.slice(nl + 1))
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++
  return { location: `${tree.parseName}:${line}:${col}`, context: nodeString(n) }
}

class State {
  out = ''
  node: Node | null = null

  constructor(
    private readonly ctx: ExecContext,
    private readonly tree: Tree | null,
    private readonly name: string,
    private vars: Variable[],
    private readonly depth: number,
  ) {}

  fail(msg: string): never {
    if (this.node === null || this.tree === null) {
      throw new TemplateExecError(`template: ${this.name}: ${msg}`, this.out)
    }
    const { location, context } = errorContext(this.tree, this.node)
    throw new TemplateExecError(`template: ${location}: executing ${goQuote(this.name)} at <${context}>: ${msg}`, this.out)
  }

  // --- variables ---
  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value
        return
      }
    }
    this.fail(`undefined variable: ${name}`)
  }
  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value
    this.fail(`undefined variable: ${name}`)
  }

  // --- statements ---
  walk(dot: unknown, node: Node): Flow {
    this.node = node
    switch (node.type) {
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe)
        if (node.pipe.decl.length === 0) this.printValue(node, v)
        return Flow.Normal
      }
      case 'text':
        this.out += node.text
        return Flow.Normal
      case 'list':
        for (const n of node.nodes) {
          const flow = this.walk(dot, n)
          if (flow !== Flow.Normal) return flow
        }
        return Flow.Normal
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node)
      case 'range':
        return this.walkRange(dot, node)
      case 'break': return Flow.Break
      case 'continue': return Flow.Continue
      case 'comment': return Flow.Normal
      case 'template':
        this.walkTemplate(dot, node)
        return Flow.Normal
    }
    this.fail(`unknown node: ${nodeString(node)}`)
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): Flow {
    const mark = this.vars.length
    const val = this.evalPipeline(dot, node.pipe)
    let flow = Flow.Normal
    if (isTrue(val)) flow = this.walk(node.type === 'with' ? val : dot, node.list)
    else if (node.elseList) flow = this.walk(dot, node.elseList)
    this.vars.length = mark
    return flow
  }

  private walkRange(dot: unknown, r: BranchNode): Flow {
    this.node = r
    const mark0 = this.vars.length
    const val = this.evalPipeline(dot, r.pipe)
    const mark = this.vars.length
    const nDecl = r.pipe.decl.length
    const iterate = (index: unknown, elem: unknown): boolean => {
      if (nDecl > 0) this.vars[mark - 1]!.value = elem
      if (nDecl > 1) this.vars[mark - 2]!.value = index
      const flow = this.walk(elem, r.list)
      this.vars.length = mark
      return flow !== Flow.Break
    }
    let ran = false
    switch (kindOf(val)) {
      case Kind.Slice: {
        const arr = val as unknown[]
        ran = arr.length > 0
        for (let i = 0; i < arr.length; i++) if (!iterate(i, elem(arr[i]))) break
        break
      }
      case Kind.Map: {
        const entries = mapSortedEntries(val as object)
        ran = entries.length > 0
        for (const [k, v] of entries) if (!iterate(k, elem(v))) break
        break
      }
      case Kind.Invalid:
      case Kind.Nil:
        break // like a nil slice or map
      default:
        this.fail(`range can't iterate over ${sprintValue(val)}`)
    }
    let flow = Flow.Normal
    // Go's range swallows a {{break}} from its else list; a {{continue}} reaches the enclosing range.
    if (!ran && r.elseList && this.walk(dot, r.elseList) === Flow.Continue) flow = Flow.Continue
    this.vars.length = mark0
    return flow
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.node = t
    const tree = this.ctx.trees.get(t.name)
    if (!tree) this.fail(`template ${goQuote(t.name)} not defined`)
    if (this.depth >= MAX_DEPTH) this.fail(`exceeded maximum template depth (${MAX_DEPTH})`)
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : NO_VALUE
    const s = new State(this.ctx, tree, t.name, [{ name: '$', value: newDot }], this.depth + 1)
    s.out = this.out
    try {
      s.walk(newDot, tree.root)
    } catch (err) {
      if (err instanceof TemplateExecError) throw new TemplateExecError(err.message, s.out)
      throw err
    }
    this.out = s.out
  }

  private printValue(node: Node, v: unknown): void {
    this.node = node
    if (typeof v === 'string') this.out += v
    else if (v === NO_VALUE) this.out += '<no value>'
    else if (typeof v === 'function') this.fail(`can't print ${nodeString(node)} of type ${typeName(v)}`)
    else this.out += sprintValue(v)
  }

  // --- expressions ---
  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.node = pipe
    let value: Final = MISSING
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value)
    if (value === NIL_IFACE) value = NO_VALUE // Go unwraps interface{} results
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value)
      else this.vars.push({ name: v.ident[0]!, value })
    }
    return value
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${nodeString(args[0]!)}`)
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const args = cmd.args
    const first = args[0]!
    switch (first.type) {
      case 'field': return this.evalFieldNode(dot, first, args, final)
      case 'chain': return this.evalChainNode(dot, first, args, final)
      case 'identifier': return this.evalFunction(dot, first, cmd, args, final)
      case 'pipe':
        this.notAFunction(args, final)
        return this.evalPipeline(dot, first)
      case 'variable': return this.evalVariableNode(dot, first, args, final)
    }
    this.node = first
    this.notAFunction(args, final)
    switch (first.type) {
      case 'bool': return first.value
      case 'dot': return dot
      case 'nil': this.fail('nil is not a command')
      case 'number': return this.idealConstant(first)
      case 'string': return first.text
    }
  }

  private idealConstant(n: NumberNode): unknown {
    this.node = n
    const isHex = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text)
    if (n.isFloat && !isHex && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return n.float
    if (n.isInt) return n.int
    if (n.isUint) this.fail(`${n.text} overflows int`)
    return NO_VALUE
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: ArgNode[] | null, final: Final): unknown {
    this.node = field
    return this.evalFieldChain(dot, dot, field, field.ident, args, final)
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: ArgNode[] | null, final: Final): unknown {
    this.node = chain
    if (chain.node.type === 'nil') this.fail(`indirection through explicit nil in ${nodeString(chain)}`)
    const pipe = this.evalArg(dot, null, chain.node)
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final)
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: ArgNode[] | null, final: Final): unknown {
    this.node = v
    const value = this.varValue(v.ident[0]!)
    if (v.ident.length === 1) {
      if (args) this.notAFunction(args, final)
      else if (final !== MISSING) this.notAFunction([v], final)
      return value
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final)
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: Node, ident: string[], args: ArgNode[] | null, final: Final): unknown {
    const n = ident.length
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver)
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver)
  }

  private evalField(dot: unknown, name: string, node: Node, args: ArgNode[] | null, final: Final, receiver: unknown): unknown {
    if (receiver === NO_VALUE) return NO_VALUE
    if (isNil(receiver)) this.fail(`nil pointer evaluating interface {}.${name}`)
    const kind = kindOf(receiver)
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING
    if (kind === Kind.Struct) {
      const obj = receiver as Record<string, unknown>
      if (hasField(obj, name)) {
        if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`)
        return obj[name] ?? null
      }
      const m = findMethod(obj, name)
      if (m) {
        const fn: TemplateFunc =
          m.kind === 'getter'
            ? { params: [], fn: m.get }
            : { params: (m.params as ParamType[] | undefined) ?? Array(m.arity).fill('any'), fn: m.fn }
        return this.evalCall(dot, fn, false, node, name, args, final)
      }
    } else if (kind === Kind.Map && mapKeyType(receiver as object) === 'string') {
      if (hasArgs) this.fail(`${name} is not a method but has arguments`)
      const v = mapGet(receiver as object, name)
      return v === NO_VALUE ? v : elem(v)
    }
    this.fail(`can't evaluate field ${name} in type ${typeName(receiver)}`)
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: ArgNode[] | null, final: Final): unknown {
    this.node = node
    const name = node.name
    const user = this.ctx.funcs.get(name)
    const fn = user ?? (Object.hasOwn(this.ctx.builtins, name) ? this.ctx.builtins[name] : undefined)
    if (!fn) this.fail(`${goQuote(name)} is not a defined function`)
    return this.evalCall(dot, fn, user === undefined, cmd, name, args, final)
  }

  private evalCall(dot: unknown, f: TemplateFunc, isBuiltin: boolean, node: Node, name: string, argNodes: ArgNode[] | null, final: Final): unknown {
    const args = argNodes ? argNodes.slice(1) : []
    const numIn = args.length + (final !== MISSING ? 1 : 0)
    const numFixed = f.variadic ? f.params.length : args.length
    if (f.variadic) {
      if (numIn < numFixed) this.fail(`wrong number of args for ${name}: want at least ${f.params.length} got ${args.length}`)
    } else if (numIn !== f.params.length) {
      this.fail(`wrong number of args for ${name}: want ${f.params.length} got ${numIn}`)
    }
    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: unknown = NO_VALUE
      for (const a of args) {
        v = this.evalArg(dot, 'value', a)
        if (isTrue(v) === (name === 'or')) return v
      }
      if (final !== MISSING) v = final
      return v
    }
    const argv: unknown[] = []
    let i = 0
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, f.params[i]!, args[i]!))
    if (f.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, f.variadic, args[i]!))
    if (final !== MISSING) {
      let t = f.variadic ?? f.params[f.params.length - 1]!
      if (f.variadic && numIn - 1 < numFixed) t = f.params[numIn - 1]!
      argv.push(this.validateType(final, t))
    }
    let result: unknown
    try {
      result = f.fn(...argv)
    } catch (err) {
      this.node = node
      this.fail(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`)
    }
    return result === undefined ? null : result
  }

  /** Go's validateType: convert or reject a value for a parameter type. */
  private validateType(value: unknown, typ: ParamType | null): unknown {
    if (value === NO_VALUE) {
      if (typ === null || typ === 'value') return value
      if (typ === 'any') return undefined // an untyped nil interface{}
      if (typ === '[]string') return null
      this.fail(`invalid value; expected ${goParamTypeName[typ]}`)
    }
    if (value === NIL_IFACE) {
      if (typ === null) return value
      if (typ === 'value') return NO_VALUE
      if (typ === 'any') return undefined
      this.fail(`wrong type for value; expected ${goParamTypeName[typ]}; got interface {}`)
    }
    if (typ === null || typ === 'any' || typ === 'value') return value
    const k = kindOf(value)
    switch (typ) {
      case 'string': if (k === Kind.String) return value; break
      case 'bool': if (k === Kind.Bool) return value; break
      case 'int':
        if (k === Kind.Int) return typeof value === 'bigint' ? Number(value) : value
        break
      case 'float': if (k === Kind.Int || k === Kind.Float) return Number(value); break
      case '[]string':
        if (k === Kind.Nil) return null
        if (k === Kind.Slice && isStringSlice(value as unknown[])) return value
        break
    }
    this.fail(`wrong type for value; expected ${goParamTypeName[typ]}; got ${typeName(value)}`)
  }

  private evalArg(dot: unknown, typ: ParamType | null, n: ArgNode): unknown {
    this.node = n
    switch (n.type) {
      case 'dot': return this.validateType(dot, typ)
      case 'nil':
        if (typ === null || typ === 'any') return undefined
        if (typ === '[]string') return null
        if (typ === 'value') return NO_VALUE
        this.fail(`cannot assign nil to ${goParamTypeName[typ]}`)
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ)
      case 'variable': return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ)
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), typ)
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ)
      case 'chain': return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ)
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value
        this.fail(`expected bool; found ${nodeString(n)}`)
      case 'float':
        if (n.type === 'number' && n.isFloat) return n.float
        this.fail(`expected float; found ${nodeString(n)}`)
      case 'int':
        if (n.type === 'number' && n.isInt) return Number(n.int)
        this.fail(`expected integer; found ${nodeString(n)}`)
      case 'string':
        if (n.type === 'string') return n.text
        this.fail(`expected string; found ${nodeString(n)}`)
      case null:
      case 'any':
      case 'value':
        switch (n.type) {
          case 'bool': return n.value
          case 'number': return this.idealConstant(n)
          case 'string': return n.text
        }
    }
    this.fail(`can't handle ${nodeString(n)} for arg of type ${goParamTypeName[typ as ParamType]}`)
  }
}
