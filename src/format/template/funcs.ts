/**
 * text/template's builtin functions with Go's signatures (so argument
 * checking and error messages match) and behaviour: and, or, not, len,
 * index, slice, call, print, printf, println, html, js, urlquery, eq, ne,
 * lt, le, gt, ge.
 */
import { htmlEscape, jsEscape, urlQueryEscape } from './escape.js'
import { sprint, sprintValue, sprintln } from './print.js'
import { sprintf } from './sprintf.js'
import {
  Kind, NIL_IFACE, NO_VALUE, compareUtf8, elem, mapKeyType, isTrue, kindOf, mapGet, mapSize, mapZero, typeName,
} from './values.js'

/**
 * Go parameter types a function can declare. 'value' is reflect.Value (gets
 * NO_VALUE for a missing value), 'any' is interface{} (gets null instead).
 */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'bool' | 'float' | '[]string'

export interface TemplateFunc {
  params: ParamType[]
  /** Type of the trailing variadic parameter, if any. */
  variadic?: ParamType
  /** Throwing an Error is Go's non-nil error result: "error calling NAME: message". */
  fn: (...args: any[]) => unknown
}

export const goParamTypeName: Record<ParamType, string> = {
  any: 'interface {}', value: 'reflect.Value', string: 'string', int: 'int', bool: 'bool', float: 'float64',
  '[]string': '[]string',
}

export const fixed = (params: ParamType[], fn: TemplateFunc['fn']): TemplateFunc => ({ params, fn })
const variadic = (params: ParamType[], rest: ParamType, fn: TemplateFunc['fn']): TemplateFunc => ({ params, variadic: rest, fn })

const isNilish = (v: unknown) => v === null || v === undefined || v === NO_VALUE || v === NIL_IFACE

// --- comparison ---
type Basic = 'bool' | 'num' | 'string' | 'invalid' | 'other'

function basicKind(v: unknown): Basic {
  switch (typeof v) {
    case 'boolean': return 'bool'
    case 'number': case 'bigint': return 'num'
    case 'string': return 'string'
  }
  return isNilish(v) ? 'invalid' : 'other'
}

const numEq = (a: unknown, b: unknown) => (a as number) == (b as number)

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every(k => deepEqual((a as any)[k], (b as any)[k]))
}

function comparable(v: unknown): boolean {
  const k = kindOf(v)
  return k !== Kind.Slice && k !== Kind.Map && k !== Kind.Func
}

export function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison')
  const k1 = basicKind(a)
  for (const b of rest) {
    const k2 = basicKind(b)
    let truth = false
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new Error('incompatible types for comparison')
    } else if (k1 === 'num') truth = numEq(a, b)
    else if (k1 === 'other') {
      if (kindOf(a) !== kindOf(b)) {
        throw new Error(`non-comparable types ${sprintf('%s', [a])}: ${typeName(a)}, ${typeName(b)}: ${sprintValue(b)}`)
      }
      if (!comparable(b)) throw new Error(`non-comparable type ${sprintf('%s', [b])}: ${typeName(b)}`)
      truth = deepEqual(a, b)
    } else truth = k1 === 'invalid' || a === b
    if (truth) return true
  }
  return false
}

export function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new Error('invalid type for comparison')
  if (k1 !== k2) throw new Error('incompatible types for comparison')
  if (k1 === 'bool') throw new Error('invalid type for comparison')
  if (k1 === 'string') return compareUtf8(a as string, b as string) < 0
  return (a as number) < (b as number)
}

const le = (a: unknown, b: unknown) => lt(a, b) || eq(a, b)

// --- indexing ---
function indexArg(index: unknown, cap: number): number {
  let x: number
  if (typeof index === 'number' && Number.isInteger(index)) x = index
  else if (typeof index === 'bigint') x = Number(index)
  else if (isNilish(index)) throw new Error('cannot index slice/array with nil')
  else throw new Error(`cannot index slice/array with type ${typeName(index)}`)
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`)
  return x
}

const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s)

export function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === NO_VALUE) throw new Error('index of untyped nil')
  for (const ix of indexes) {
    if (isNilish(item)) throw new Error('index of nil pointer')
    switch (kindOf(item)) {
      case Kind.String: {
        const bytes = isAscii(item as string) ? null : Buffer.from(item as string)
        const len = bytes ? bytes.length : (item as string).length
        const x = indexArg(ix, len)
        if (x === len) throw new Error('reflect: string index out of range')
        item = bytes ? bytes[x]! : (item as string).charCodeAt(x)
        break
      }
      case Kind.Slice: {
        const arr = item as unknown[]
        const x = indexArg(ix, arr.length)
        if (x === arr.length) throw new Error('reflect: slice index out of range')
        item = elem(arr[x])
        break
      }
      case Kind.Map: {
        const m = item as object
        const keyType = mapKeyType(m)
        if (isNilish(ix)) throw new Error(`value is nil; should be of type ${keyType}`)
        const ixType = typeName(ix)
        // Go converts between integer types; others must match the key type
        if (ixType !== keyType && keyType !== 'interface {}' && !(kindOf(ix) === Kind.Int && /^u?int/.test(keyType))) {
          throw new Error(`value has type ${ixType}; should be ${keyType}`)
        }
        const v = mapGet(m, ix)
        item = v === NO_VALUE ? mapZero(m) : elem(v)
        break
      }
      default:
        throw new Error(`can't index item of type ${typeName(item)}`)
    }
  }
  return item
}

export function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === NO_VALUE) throw new Error('slice of untyped nil')
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`)
  let len: number
  const kind = kindOf(item)
  let bytes: Buffer | null = null
  if (kind === Kind.String) {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string')
    if (!isAscii(item as string)) bytes = Buffer.from(item as string)
    len = bytes ? bytes.length : (item as string).length
  } else if (kind === Kind.Slice) len = (item as unknown[]).length
  else throw new Error(`can't slice item of type ${typeName(item)}`)
  const idx = [0, len, len]
  indexes.forEach((ix, i) => (idx[i] = indexArg(ix, len)))
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`)
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`)
  if (kind === Kind.Slice) return (item as unknown[]).slice(idx[0], idx[1])
  return bytes ? bytes.subarray(idx[0], idx[1]).toString() : (item as string).slice(idx[0], idx[1])
}

export function length(item: unknown): number {
  if (item === NO_VALUE) throw new Error('reflect: call of reflect.Value.Type on zero Value')
  if (isNilish(item)) throw new Error('len of nil pointer')
  switch (kindOf(item)) {
    case Kind.String: return Buffer.byteLength(item as string)
    case Kind.Slice: return (item as unknown[]).length
    case Kind.Map: return mapSize(item as object)
  }
  throw new Error(`len of type ${typeName(item)}`)
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (isNilish(fn)) throw new Error('call of nil')
  if (typeof fn !== 'function') throw new Error(`non-function of type ${typeName(fn)}`)
  if (fn.length !== args.length) throw new Error(`wrong number of args: got ${args.length} want ${fn.length}`)
  return fn(...args.map(a => (isNilish(a) ? null : a)))
}

/**
 * html/js/urlquery print their arguments as fmt.Sprint does, except a lone
 * string; an untyped nil (missing value) prints "<no value>", a nil pointer "<nil>".
 * They are declared with 'value' parameters only to tell those two apart.
 */
const evalArgs = (args: unknown[]) =>
  args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args.map(a => (a === NO_VALUE ? '<no value>' : a)))

export const builtins: Record<string, TemplateFunc> = {
  and: variadic(['value'], 'value', () => NO_VALUE), // short-circuits in the evaluator
  or: variadic(['value'], 'value', () => NO_VALUE), // short-circuits in the evaluator
  call: variadic(['value'], 'value', call),
  html: variadic([], 'value', (...a: unknown[]) => htmlEscape(evalArgs(a))),
  index: variadic(['value'], 'value', index),
  slice: variadic(['value'], 'value', slice),
  js: variadic([], 'value', (...a: unknown[]) => jsEscape(evalArgs(a))),
  len: fixed(['value'], length),
  not: fixed(['value'], (v: unknown) => !isTrue(v)),
  print: variadic([], 'any', (...a: unknown[]) => sprint(a)),
  printf: variadic(['string'], 'any', (f: string, ...a: unknown[]) => sprintf(f, a)),
  println: variadic([], 'any', (...a: unknown[]) => sprintln(a)),
  urlquery: variadic([], 'value', (...a: unknown[]) => urlQueryEscape(evalArgs(a))),
  eq: variadic(['value'], 'value', eq),
  ne: fixed(['value', 'value'], (a: unknown, b: unknown) => !eq(a, b)),
  lt: fixed(['value', 'value'], lt),
  le: fixed(['value', 'value'], le),
  gt: fixed(['value', 'value'], (a: unknown, b: unknown) => !le(a, b)),
  ge: fixed(['value', 'value'], (a: unknown, b: unknown) => !lt(a, b)),
}
