import { isPreciseNumber, type StructuredData } from '../../model/record.js'

/** The inferred type of one value; a position in a schema holds a union of these (distinct kinds). */
export type Shape =
  | { k: 'null' | 'boolean' | 'long' | 'double' | 'string' | 'bytes' | 'number' | 'sset' | 'nset' | 'bset' }
  | { k: 'list', items: Shape[] }
  | { k: 'map', values: Shape[] }
  | { k: 'record', fields: Map<string, Field> }

export interface Field { types: Shape[], optional: boolean }

export type AvroSchema = string | { [key: string]: unknown } | AvroSchema[]

const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])

/** Logical types (unknown to other readers, who see the underlying type) that keep DynamoDB types exact. */
export const LOGICAL = { number: 'dynamodb-number', sset: 'dynamodb-string-set', nset: 'dynamodb-number-set', bset: 'dynamodb-binary-set' } as const
/** Named wrappers used when a union already holds the plain form's Avro type (a string next to a precise number…). */
export const WRAPPERS = { number: 'dynamodb.Number', sset: 'dynamodb.StringSet', nset: 'dynamodb.NumberSet', bset: 'dynamodb.BinarySet', null: 'dynamodb.Null' } as const
/** Field attribute marking a field absent from some values: there Avro null means "no attribute". */
export const OPTIONAL_ATTR = 'dynamodb.optional'

function objectKind (s: Shape): boolean { return s.k === 'record' || s.k === 'map' }

/** The shape of a value (the native DynamoDB forms of src/model/record.ts). */
export function inferShape (v: unknown): Shape {
  if (v === null || v === undefined) return { k: 'null' }
  switch (typeof v) {
    case 'string': return { k: 'string' }
    case 'boolean': return { k: 'boolean' }
    case 'number': return { k: Number.isSafeInteger(v) ? 'long' : 'double' }
    case 'bigint': return { k: 'number' }
  }
  if (isPreciseNumber(v)) return { k: 'number' }
  if (v instanceof Uint8Array) return { k: 'bytes' }
  if (v instanceof Set) {
    const first = v.values().next().value as unknown
    return { k: typeof first === 'string' ? 'sset' : first instanceof Uint8Array ? 'bset' : 'nset' }
  }
  if (Array.isArray(v)) {
    let items: Shape[] = []
    for (const x of v) items = mergeUnion(items, [inferShape(x)])
    return { k: 'list', items }
  }
  const o = v as StructuredData
  const keys = Object.keys(o)
  // avsc records read and write fields as `this.<name>`: `__proto__` can only travel as a map key.
  if (!keys.every((k) => AVRO_NAME.test(k) && k !== '__proto__')) {
    let values: Shape[] = []
    for (const k of keys) values = mergeUnion(values, [inferShape(o[k])])
    return { k: 'map', values }
  }
  const fields = new Map<string, Field>()
  for (const k of keys) fields.set(k, { types: [inferShape(o[k])], optional: false })
  return { k: 'record', fields }
}

function toMap (s: Shape): Shape[] {
  if (s.k === 'map') return s.values
  if (s.k !== 'record') return []
  let values: Shape[] = []
  for (const f of s.fields.values()) values = mergeUnion(values, f.types)
  return values
}

function mergeShape (a: Shape, b: Shape): Shape {
  if (a.k === 'list' && b.k === 'list') return { k: 'list', items: mergeUnion(a.items, b.items) }
  if (a.k === 'record' && b.k === 'record') {
    const fields = new Map<string, Field>()
    for (const [name, f] of a.fields) {
      const g = b.fields.get(name)
      fields.set(name, g === undefined ? { types: f.types, optional: true } : { types: mergeUnion(f.types, g.types), optional: f.optional || g.optional })
    }
    for (const [name, g] of b.fields) if (!a.fields.has(name)) fields.set(name, { types: g.types, optional: true })
    return { k: 'record', fields }
  }
  if (objectKind(a) && objectKind(b)) return { k: 'map', values: mergeUnion(toMap(a), toMap(b)) }
  return a
}

/** Union of two unions: members of the same kind merge (records field by field, a record and a map into a map). */
export function mergeUnion (a: Shape[], b: Shape[]): Shape[] {
  const out = a.slice()
  for (const s of b) {
    const i = out.findIndex((x) => x.k === s.k || (objectKind(x) && objectKind(s)))
    if (i === -1) out.push(s)
    else out[i] = mergeShape(out[i] as Shape, s)
  }
  return out
}

/** Which Avro type a member occupies in a union; two members may not share one. */
function bucket (s: Shape): string {
  if (s.k === 'number') return 'string'
  if (s.k === 'sset' || s.k === 'nset' || s.k === 'bset' || s.k === 'list') return 'array'
  return s.k
}

// Canonical member order: the same shape always gives the same schema text; plain forms come before the kinds they would clash with.
const KIND_ORDER = ['null', 'boolean', 'long', 'double', 'string', 'number', 'bytes', 'list', 'sset', 'nset', 'bset', 'map', 'record']

class Emitter {
  #names = new Set<string>()

  #name (path: string): string {
    // Avro forbids naming a type after a primitive ("string", "long"…), even as the last part of a full name.
    const wanted = path.split('.').map((s) => PRIMITIVES.has(s) ? `${s}_` : s).join('.')
    let name = wanted
    for (let i = 2; this.#names.has(name); i++) name = `${wanted}_${i}`
    this.#names.add(name)
    return name
  }

  #wrapper (kind: keyof typeof WRAPPERS): AvroSchema {
    const name = WRAPPERS[kind]
    if (this.#names.has(name)) return name
    this.#names.add(name)
    const inner = kind === 'number' ? 'string' : kind === 'null' ? null : { type: 'array', items: kind === 'bset' ? 'bytes' : 'string' }
    return { type: 'record', name, fields: inner === null ? [] : [{ name: kind === 'number' ? 'value' : 'items', type: inner }] }
  }

  union (members: Shape[], path: string, optional: boolean): AvroSchema {
    const list = members.filter((m) => !(optional && m.k === 'null'))
    const hasNull = list.length < members.length
    // Members that share an Avro type with a plainer member are wrapped in a named record.
    const ordered = list.slice().sort((x, y) => KIND_ORDER.indexOf(x.k) - KIND_ORDER.indexOf(y.k))
    const taken = new Set<string>()
    const out: AvroSchema[] = []
    if (optional) out.push('null')
    if (optional && hasNull) out.push(this.#wrapper('null'))
    for (const m of ordered) {
      const b = bucket(m)
      if (taken.has(b)) out.push(this.#wrapper(m.k as 'number' | 'sset' | 'nset' | 'bset'))
      else { taken.add(b); out.push(this.member(m, path)) }
    }
    if (out.length === 0) return 'null'
    if (out.length === 1 && out[0] === 'null' && !optional) return ['null', 'string']
    return out.length === 1 ? out[0] as AvroSchema : out
  }

  member (s: Shape, path: string): AvroSchema {
    switch (s.k) {
      case 'null': case 'boolean': case 'long': case 'double': case 'string': case 'bytes': return s.k
      case 'number': return { type: 'string', logicalType: LOGICAL.number }
      case 'sset': case 'nset': case 'bset': return { type: 'array', items: s.k === 'bset' ? 'bytes' : 'string', logicalType: LOGICAL[s.k] }
      case 'list': return { type: 'array', items: this.union(s.items, `${path}.item`, false) }
      case 'map': return { type: 'map', values: this.union(s.values, `${path}.value`, false) }
      case 'record': {
        const name = this.#name(path)
        const fields = [...s.fields.keys()].sort().map((f) => {
          const field = s.fields.get(f) as Field
          const type = this.union(field.types, `${path}.${f}`, field.optional)
          return field.optional ? { name: f, type, default: null, [OPTIONAL_ATTR]: true } : { name: f, type }
        })
        return { type: 'record', name, fields }
      }
    }
  }
}

/**
 * The Avro schema of structured data (one value, or several merged so one schema fits them all):
 * root record named "record", nested records named by dotted path, fields sorted.
 */
export function avroSchemaFor (...values: StructuredData[]): AvroSchema {
  let shape: Shape[] = []
  for (const v of values) shape = mergeUnion(shape, [inferShape(v)])
  return new Emitter().member(shape[0] ?? { k: 'record', fields: new Map() }, 'record')
}
