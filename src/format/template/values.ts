/**
 * How JavaScript data stands in for Go values in templates.
 *
 * - A plain object (or class instance) is a Go struct: its own enumerable
 *   properties are the fields, in declaration (insertion) order; a missing
 *   field is an execution error. Exported (capitalised) methods and getters
 *   on its prototype are Go methods ({{.Short}}, {{.Format "x"}}); a
 *   `String()` method is used for printing, like fmt.Stringer.
 * - A `Map`, or an object marked with `goMap()`, is a Go map: a missing key
 *   yields "no value" (printed `<no value>`); printing sorts keys.
 * - Arrays are slices.
 * - `null` is a nil pointer (prints `<nil>`); `undefined` as an argument is an
 *   untyped nil; a nil inside a slice or map is a nil interface{} element.
 * - Safe integers (|n| < 2^53) are int, other numbers float64; bigints are int64.
 */

/** Symbol-keyed property naming a value's Go type in error messages (e.g. `define.InspectContainerState`). */
export const goTypeName: unique symbol = Symbol.for('tspod.goTypeName')
const goMapInfo: unique symbol = Symbol.for('tspod.goMap')

interface MapInfo {
  /** Zero value of the element type: what `index` returns for a missing key. */
  zero: unknown
}

/** Go's invalid reflect.Value: a missing map key. Prints as `<no value>`. */
export const NO_VALUE: unique symbol = Symbol('no value')

/**
 * A nil taken out of a map or slice: Go's nil interface{} element. It prints
 * `<no value>` once a pipeline yields it (Go unwraps interfaces there), while
 * a nil struct field prints `<nil>` like a nil pointer.
 */
export const NIL_IFACE: unique symbol = Symbol('nil interface')

/** An element read from a map or slice: nil becomes a nil interface. */
export const elem = (v: unknown): unknown => (v === null || v === undefined ? NIL_IFACE : v)

/**
 * Marks `obj` (a plain object or a Map) as a Go map. `zero` is the zero value
 * of the element type, returned by `index` for a missing key: pass `''` for a
 * map[string]string (labels, annotations); omit it for map[string]interface{}
 * (a missing key then stays `<no value>`).
 */
export function goMap<O extends object>(obj: O, zero: unknown = NO_VALUE, typeName?: string): O {
  Object.defineProperty(obj, goMapInfo, { value: { zero } satisfies MapInfo, enumerable: false, configurable: true })
  if (typeName !== undefined) setTypeName(obj, typeName)
  return obj
}

/** Names the Go type of a struct-like object (used in "can't evaluate field X in type T"). */
export function goStruct<O extends object>(typeName: string, obj: O): O {
  setTypeName(obj, typeName)
  return obj
}

function setTypeName(obj: object, name: string): void {
  Object.defineProperty(obj, goTypeName, { value: name, enumerable: false, configurable: true })
}

/** JS numbers stand for Go ints when they are safe integers (and not -0), else float64. */
export const isGoInt = (n: number) => Number.isSafeInteger(n) && !Object.is(n, -0)

export const enum Kind { Invalid, Nil, Bool, Int, Float, String, Slice, Map, Struct, Func }

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'string': return Kind.String
    case 'number': return isGoInt(v) ? Kind.Int : Kind.Float
    case 'boolean': return Kind.Bool
    case 'bigint': return Kind.Int
    case 'undefined': return Kind.Nil
    case 'function': return Kind.Func
    case 'symbol': return v === NO_VALUE ? Kind.Invalid : v === NIL_IFACE ? Kind.Nil : Kind.Struct
  }
  if (v === null) return Kind.Nil
  if (Array.isArray(v)) return Kind.Slice
  if (v instanceof Map || (v as { [goMapInfo]?: MapInfo })[goMapInfo] !== undefined) return Kind.Map
  return Kind.Struct
}

export const isNil = (v: unknown) => v === null || v === undefined || v === NIL_IFACE

// --- maps ---
export function mapGet(m: object, key: unknown): unknown {
  if (m instanceof Map) return m.has(key) ? m.get(key) : NO_VALUE
  if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(m, key)) return NO_VALUE
  return (m as Record<string, unknown>)[key]
}

export function mapZero(m: object): unknown {
  return (m as { [goMapInfo]?: MapInfo })[goMapInfo]?.zero ?? NO_VALUE
}

export function mapSize(m: object): number {
  return m instanceof Map ? m.size : Object.keys(m).length
}

/** Keys in fmtsort order: numbers numerically, strings bytewise, false before true. */
export function mapSortedEntries(m: object): [unknown, unknown][] {
  const entries: [unknown, unknown][] = m instanceof Map ? [...m.entries()] : Object.entries(m)
  return entries.sort((a, b) => compareKeys(a[0], b[0]))
}

function compareKeys(a: unknown, b: unknown): number {
  const ta = keyRank(a)
  const tb = keyRank(b)
  if (ta !== tb) return ta - tb
  if (typeof a === 'string' && typeof b === 'string') return compareUtf8(a, b)
  if (typeof a === 'boolean') return Number(a) - Number(b)
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return a < b ? -1 : a > b ? 1 : 0
  }
  return 0
}
const keyRank = (k: unknown) => (isNil(k) ? 0 : typeof k === 'boolean' ? 1 : typeof k === 'number' || typeof k === 'bigint' ? 2 : typeof k === 'string' ? 3 : 4)

/** Go compares strings by UTF-8 bytes; UTF-16 order differs only around surrogates. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const sx = x >= 0xd800 && x <= 0xdfff
    const sy = y >= 0xd800 && y <= 0xdfff
    if (sx !== sy) return sx ? (y >= 0xe000 ? -1 : 1) : x >= 0xe000 ? 1 : -1
    return x - y
  }
  return a.length - b.length
}

// --- structs and methods ---
export const hasField = (obj: object, name: string) => Object.prototype.hasOwnProperty.call(obj, name)

export function structFields(obj: object): [string, unknown][] {
  return Object.entries(obj)
}

/**
 * Optional symbol-keyed property listing Go parameter types of methods, e.g.
 * `{ Format: ['string'] }`, so calls are checked as Go would check them.
 * Methods without an entry take `fn.length` untyped arguments.
 */
export const goMethods: unique symbol = Symbol.for('tspod.goMethods')

export type Method =
  | { kind: 'getter'; get: () => unknown }
  | { kind: 'func'; fn: (...args: unknown[]) => unknown; arity: number; params?: readonly string[] }

const upperRe = /^\p{Lu}/u

/**
 * An exported Go-style method found on the prototype chain (not on
 * Object.prototype): a function, or a getter which acts as a niladic method.
 */
export function findMethod(obj: object, name: string): Method | undefined {
  if (!upperRe.test(name)) return undefined
  for (let p = Object.getPrototypeOf(obj); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name)
    if (d === undefined) continue
    if (d.get) return { kind: 'getter', get: () => d.get!.call(obj) }
    if (typeof d.value === 'function') {
      const params = (obj as { [goMethods]?: Record<string, readonly string[]> })[goMethods]?.[name]
      return { kind: 'func', fn: (...args) => d.value.apply(obj, args), arity: d.value.length, params }
    }
    return undefined
  }
  return undefined
}

/** A value's String() method, as fmt uses fmt.Stringer. */
export function stringer(v: object): (() => string) | undefined {
  const m = Array.isArray(v) || v instanceof Map ? undefined : findMethod(v, 'String')
  if (m?.kind === 'func') return m.fn as () => string
  return undefined
}

// --- truth and types ---
/** text/template's notion of truth: false, 0, nil, and empty strings, slices and maps are false. */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case 'string': return v.length > 0
    case 'number': return v !== 0
    case 'boolean': return v
    case 'bigint': return v !== 0n
    case 'undefined': return false
    case 'function': return true
    case 'symbol': return v !== NO_VALUE && v !== NIL_IFACE
  }
  if (v === null) return false
  if (Array.isArray(v)) return v.length > 0
  if (kindOf(v) === Kind.Map) return mapSize(v as object) > 0
  return true
}

/** The Go type name printed in errors and by %T. */
export function typeName(v: unknown): string {
  switch (typeof v) {
    case 'string': return 'string'
    case 'number': return isGoInt(v) ? 'int' : 'float64'
    case 'boolean': return 'bool'
    case 'bigint': return 'int64'
    case 'function': return 'func'
    case 'undefined': return 'interface {}'
  }
  if (v === null || v === NO_VALUE || v === NIL_IFACE) return 'interface {}'
  const named = (v as { [goTypeName]?: string })[goTypeName]
  if (named !== undefined) return named
  if (Array.isArray(v)) return `[]${elemTypeName(v)}`
  if (v instanceof Map) return `map[${mapKeyType(v)}]${elemTypeName([...v.values()])}`
  if (kindOf(v) === Kind.Map) {
    const zero = mapZero(v as object)
    return `map[string]${zero === NO_VALUE ? elemTypeName(Object.values(v as object)) : typeName(zero)}`
  }
  const ctor = (v as object).constructor
  return ctor && ctor !== Object && ctor.name ? ctor.name : 'struct'
}

/** The element type of a container, guessed from its elements (empty containers say nothing). */
function elemTypeName(values: unknown[]): string {
  const names = new Set<string>()
  for (const v of values) {
    if (isNil(v)) return 'interface {}'
    const n = typeName(v)
    if (!n.endsWith('interface {}') || (kindOf(v) !== Kind.Slice && kindOf(v) !== Kind.Map) || size(v as object) > 0) names.add(n)
  }
  return names.size === 1 ? [...names][0]! : 'interface {}'
}

const size = (v: object) => (Array.isArray(v) ? v.length : mapSize(v))

/** Key type name of a map: a JS Map's keys decide; marked objects have string keys. */
export function mapKeyType(m: object): string {
  return m instanceof Map && m.size > 0 ? elemTypeName([...m.keys()]) : 'string'
}
