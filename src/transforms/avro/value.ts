import { decodeNumber } from '../../model/codec.js'
import { setOwn } from '../../model/own-property.js'
import { OpenCDCError } from '../../errors/index.js'
import { jsonNumberText } from '../../model/json-value.js'
import { isPreciseNumber, type StructuredData } from '../../model/record.js'
import { LOGICAL, OPTIONAL_ATTR, WRAPPERS, type AvroSchema } from './schema.js'

type Node = AvroSchema
type Obj = Record<string, unknown>
type Kind = 'null' | 'boolean' | 'long' | 'double' | 'string' | 'number' | 'bytes' | 'sset' | 'nset' | 'bset' | 'list' | 'object'

const WRAPPER_KIND: Record<string, Kind> = { [WRAPPERS.number]: 'number', [WRAPPERS.sset]: 'sset', [WRAPPERS.nset]: 'nset', [WRAPPERS.bset]: 'bset', [WRAPPERS.null]: 'null' }
const LOGICAL_KIND: Record<string, Kind> = { [LOGICAL.number]: 'number', [LOGICAL.sset]: 'sset', [LOGICAL.nset]: 'nset', [LOGICAL.bset]: 'bset' }
const PRIMITIVE_KIND: Record<string, Kind> = { null: 'null', boolean: 'boolean', int: 'long', long: 'long', float: 'double', double: 'double', string: 'string', bytes: 'bytes' }

function fail (path: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_AVRO', `Avro value at ${path}: ${rule}`, { path })
}

// Number text in the canonical JSON form (DynamoDB Local keeps nested text such as `007` or `.5` as written).
function numberText (v: unknown): string {
  return isPreciseNumber(v) ? jsonNumberText(v.value) : String(v)
}

/** Converts between native structured data and avsc values (wrapUnions: true) by walking a schema. */
export class AvroMapper {
  #named = new Map<string, Obj>()

  constructor (schema: AvroSchema) { this.#collect(schema, '') }

  #collect (n: Node, ns: string): void {
    if (Array.isArray(n)) { for (const m of n) this.#collect(m, ns); return }
    if (typeof n !== 'object') return
    const type = n.type as string
    if (type === 'record' || type === 'enum' || type === 'fixed') {
      const full = this.#fullName(n.name as string, (n.namespace as string | undefined) ?? ns)
      this.#named.set(full, n)
      const inner = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : ''
      for (const f of (n.fields as Obj[] | undefined) ?? []) this.#collect(f.type as Node, inner)
    } else if (type === 'array') this.#collect(n.items as Node, ns)
    else if (type === 'map') this.#collect(n.values as Node, ns)
  }

  #fullName (name: string, ns: string): string { return name.includes('.') || ns === '' ? name : `${ns}.${name}` }

  #resolve (n: Node): Node {
    if (typeof n === 'string' && PRIMITIVE_KIND[n] === undefined) {
      const found = this.#named.get(n) ?? [...this.#named.entries()].find(([k]) => k.endsWith('.' + n))?.[1]
      if (found === undefined) throw fail('$', `unknown type ${n}`)
      return found
    }
    return n
  }

  #kind (n: Node): Kind {
    n = this.#resolve(n)
    if (typeof n === 'string') return PRIMITIVE_KIND[n] as Kind
    if (Array.isArray(n)) return 'object'
    const logical = LOGICAL_KIND[n.logicalType as string]
    if (logical !== undefined) return logical
    if (n.type === 'record') return WRAPPER_KIND[n.name as string] ?? 'object'
    if (n.type === 'array') return 'list'
    if (n.type === 'map') return 'object'
    return PRIMITIVE_KIND[n.type as string] ?? 'object'
  }

  #branchName (n: Node): string {
    if (typeof n === 'string') return n
    const o = n as Obj
    if (o.type === 'record' || o.type === 'enum' || o.type === 'fixed') return o.name as string
    return o.type as string
  }

  /** Native value → avsc value for schema node n. */
  toAvro (n: Node, v: unknown, path = '$'): unknown {
    if (Array.isArray(n)) {
      const want = valueKind(v)
      // An explicit NULL takes the dynamodb.Null wrapper when there is one: there plain null means absent.
      let branch = want === 'null' ? n.find((m) => m !== 'null' && this.#kind(m) === 'null') ?? n.find((m) => m === 'null') : n.find((m) => this.#kind(m) === want)
      if (branch === undefined && want === 'long') branch = n.find((m) => this.#kind(m) === 'double')
      if (branch === undefined) throw fail(path, `no branch of the union fits a ${want} value`)
      return want === 'null' && branch === 'null' ? null : { [this.#branchName(branch)]: this.toAvro(branch, v, path) }
    }
    const r = this.#resolve(n)
    const kind = this.#kind(r)
    if (typeof r === 'object' && !Array.isArray(r) && r.type === 'record' && kind !== 'object') {
      if (kind === 'null') return {}
      return kind === 'number' ? { value: numberText(v) } : { items: this.#setItems(kind, v as Set<unknown>) }
    }
    switch (kind) {
      case 'null': return null
      // eslint-disable-next-line valid-typeof -- kind is the literal 'boolean' or 'string' in this case
      case 'boolean': case 'string': if (typeof v !== kind) throw fail(path, `expected a ${kind}`); return v
      case 'long': case 'double': if (typeof v !== 'number') throw fail(path, 'expected a number'); return v
      case 'number': return numberText(v)
      case 'bytes': return toBuffer(v as Uint8Array)
      case 'sset': case 'nset': case 'bset': return this.#setItems(kind, v as Set<unknown>)
      case 'list': return (v as unknown[]).map((x, i) => this.toAvro((r as Obj).items as Node, x, `${path}[${i}]`))
    }
    const o = r as Obj
    const data = v as StructuredData
    if (o.type === 'map') {
      const out: Obj = {}
      for (const k of Object.keys(data)) setOwn(out, k, this.toAvro(o.values as Node, data[k], `${path}.${k}`))
      return out
    }
    const out: Obj = {}
    for (const f of o.fields as Obj[]) {
      const name = f.name as string
      const present = Object.prototype.hasOwnProperty.call(data, name)
      if (!present && f[OPTIONAL_ATTR] !== true) throw fail(`${path}.${name}`, 'missing attribute the schema requires')
      out[name] = present ? this.toAvro(f.type as Node, data[name], `${path}.${name}`) : null
    }
    return out
  }

  #setItems (kind: Kind, set: Set<unknown>): unknown[] {
    if (kind === 'sset') return [...set]
    if (kind === 'bset') return [...set].map((b) => toBuffer(b as Uint8Array))
    return [...set].map(numberText)
  }

  /** avsc value → native value for schema node n. */
  fromAvro (n: Node, v: unknown): unknown {
    if (Array.isArray(n)) {
      if (v === null) return null
      const [name, inner] = Object.entries(v as Obj)[0] as [string, unknown]
      const branch = n.find((m) => this.#branchName(m) === name) ?? this.#resolve(name)
      return this.fromAvro(branch, inner)
    }
    const r = this.#resolve(n)
    const kind = this.#kind(r)
    if (typeof r === 'object' && !Array.isArray(r) && r.type === 'record' && kind !== 'object') {
      if (kind === 'null') return null
      const w = v as Obj
      return kind === 'number' ? decodeNumber(w.value as string) : this.#toSet(kind, w.items as unknown[])
    }
    switch (kind) {
      case 'null': case 'boolean': case 'string': case 'double': return v
      case 'long': return typeof v === 'bigint' ? decodeNumber(v.toString()) : v // beyond 2^53 (another writer's): exact text
      case 'number': return decodeNumber(v as string)
      case 'bytes': return Buffer.from(v as Buffer)
      case 'sset': case 'nset': case 'bset': return this.#toSet(kind, v as unknown[])
      case 'list': return (v as unknown[]).map((x) => this.fromAvro((r as Obj).items as Node, x))
    }
    const o = r as Obj
    const out: StructuredData = {}
    if (o.type === 'map') {
      for (const [k, x] of Object.entries(v as Obj)) setOwn(out, k, this.fromAvro(o.values as Node, x) as StructuredData[string])
      return out
    }
    const rec = v as Obj
    for (const f of o.fields as Obj[]) {
      const name = f.name as string
      const x = rec[name]
      if (x === null && f[OPTIONAL_ATTR] === true) continue
      out[name] = this.fromAvro(f.type as Node, x) as StructuredData[string]
    }
    return out
  }

  #toSet (kind: Kind, items: unknown[]): Set<unknown> {
    if (kind === 'bset') return new Set(items.map((b) => Buffer.from(b as Buffer)))
    if (kind === 'nset') return new Set(items.map((x) => decodeNumber(x as string)))
    return new Set(items)
  }
}

function toBuffer (b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)
}

function valueKind (v: unknown): Kind {
  if (v === null || v === undefined) return 'null'
  switch (typeof v) {
    case 'boolean': return 'boolean'
    case 'string': return 'string'
    case 'number': return Number.isSafeInteger(v) ? 'long' : 'double'
    case 'bigint': return 'number'
  }
  if (isPreciseNumber(v)) return 'number'
  if (v instanceof Uint8Array) return 'bytes'
  if (v instanceof Set) {
    const first = v.values().next().value as unknown
    return typeof first === 'string' ? 'sset' : first instanceof Uint8Array ? 'bset' : 'nset'
  }
  if (Array.isArray(v)) return 'list'
  return 'object'
}
