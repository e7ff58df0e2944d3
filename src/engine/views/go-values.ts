/**
 * The Go values podman's views are made of, beyond goStruct/goMap:
 *
 * - `tagged(obj, tags)`: a struct whose JSON names differ from its Go field
 *   names (`json:"Id"`, `json:"Healthcheck,omitempty"`). Templates see the Go
 *   names (`{{.ID}}`), `--format json` and `{{json .}}` the tagged ones.
 * - `nilMap()`: a nil map[string]string — prints `map[]`, `index` gives "",
 *   encodes as `null` (podman's Labels of a container without labels).
 * - `nilSlice()`: a nil slice — prints `[]`, encodes as `null`.
 * - `embed(Class, fields)`: Go's struct embedding for reporter types
 *   (psReporter embeds ListContainer): the embedded struct's fields are
 *   promoted unless a method of the outer type has the same name, which is
 *   how text/template resolves `.ID` to psReporter.ID() rather than the field.
 */
import { goMap, goTypeName } from '../../format/template/index.js'

const define = (obj: object, key: string | symbol, value: unknown) =>
  Object.defineProperty(obj, key, { value, enumerable: false, configurable: true, writable: true })

class NilMap extends Map<string, string> {
  toJSON(): null {
    return null
  }
}

export function nilMap(): Map<string, string> {
  return goMap(new NilMap(), '', 'map[string]string')
}

/** A map[string]string: nil (encoded null) when empty and `nilWhenEmpty`. */
export function stringMap(entries: Record<string, string> | undefined, nilWhenEmpty = true): Map<string, string> | Record<string, string> {
  if (!entries || Object.keys(entries).length === 0) return nilWhenEmpty ? nilMap() : goMap({}, '', 'map[string]string')
  return goMap({ ...entries }, '', 'map[string]string')
}

export function nilSlice<T = never>(): T[] {
  const a: T[] = []
  define(a, 'toJSON', () => null)
  return a
}

/** encoding/json's omitempty test. */
function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true
  if (Array.isArray(v)) return v.length === 0
  if (v instanceof Map) return v.size === 0
  if (typeof v === 'object' && (v as { toJSON?: unknown }).toJSON === undefined && isMarkedMap(v)) return Object.keys(v).length === 0
  return false
}

/** goMap's mark (values.ts keeps it under this registered symbol). */
const isMarkedMap = (v: object) => (v as Record<symbol, unknown>)[Symbol.for('tspod.goMap')] !== undefined

/**
 * Field name → JSON tag, as in Go: `"Id"` renames, `",omitempty"` drops
 * empty values, `"-"` leaves the field out. Fields without a tag keep their name.
 */
export type JsonTags = Record<string, string>

/** The object as encoding/json would encode the struct: tagged names, omitempty applied. */
export function jsonView(obj: object, tags: JsonTags): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) {
    const tag = tags[k]
    if (tag === undefined) {
      out[k] = v
      continue
    }
    if (tag === '-') continue
    const [name, ...opts] = tag.split(',')
    if (opts.includes('omitempty') && isEmptyValue(v)) continue
    out[name || k] = v
  }
  return out
}

/** Marks `obj` as a Go struct named `typeName` whose JSON encoding follows `tags`. */
export function tagged<O extends object>(typeName: string, obj: O, tags: JsonTags = {}): O {
  define(obj, goTypeName, typeName)
  define(obj, 'toJSON', () => jsonView(obj, tags))
  return obj
}

/**
 * Promote the fields of the embedded struct held in `field` onto `cls`'s
 * prototype as niladic methods, except where `cls` has a method of that name
 * (Go: the shallower name wins). `fields` lists the embedded struct's fields.
 */
export function embed(cls: { prototype: object }, field: string, fields: readonly string[], typeName: string): void {
  const proto = cls.prototype
  define(proto, goTypeName, typeName)
  for (const name of fields) {
    if (Object.prototype.hasOwnProperty.call(proto, name)) continue
    Object.defineProperty(proto, name, {
      get(this: Record<string, Record<string, unknown>>) {
        return this[field]![name]
      },
      enumerable: false,
      configurable: true,
    })
  }
}
