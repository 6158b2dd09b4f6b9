import type { AttributeValue } from '@aws-sdk/client-dynamodb'

/** One raw low-level DynamoDB item. */
export type Item = Record<string, AttributeValue>

// The oracle for every universe path test: written from DynamoDB's rules alone, it imports nothing from src/.

/** A decimal's value as `[-]digits e exponent` with no leading/trailing zeros ("0" for any zero), or undefined if not a number. */
export function decimalValue (text: string): string | undefined {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (m === null) return undefined
  const [, sign = '', int = '', frac = '', exp = '0'] = m
  if (int === '' && frac === '') return undefined
  let digits = (int + frac).replace(/^0+/, '')
  if (digits === '') return '0'
  let exponent = Number(exp) - frac.length
  const trailing = /0*$/.exec(digits)?.[0].length ?? 0
  digits = digits.slice(0, digits.length - trailing)
  exponent += trailing
  return `${sign === '-' ? '-' : ''}${digits}e${exponent}`
}

function sameNumber (a: string, b: string): boolean {
  const va = decimalValue(a)
  return va !== undefined && va === decimalValue(b)
}

const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'] as const
type TypeName = typeof TYPES[number]

/** The one type an attribute value carries ('?' when it carries none or several). */
export function typeOf (v: AttributeValue): TypeName | '?' {
  const present = TYPES.filter((t) => (v as unknown as Record<string, unknown>)[t] !== undefined)
  return present.length === 1 ? present[0] as TypeName : '?'
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

function setMembers (v: AttributeValue, type: 'SS' | 'NS' | 'BS'): string[] {
  if (type === 'SS') return [...(v.SS ?? [])].map((s) => JSON.stringify(s)).sort()
  if (type === 'NS') return [...(v.NS ?? [])].map((n) => decimalValue(n) ?? `not a number ${JSON.stringify(n)}`).sort()
  return [...(v.BS ?? [])].map(b64).sort()
}

/** A path segment as DynamoDB document paths read, quoting names that are not plain identifiers. */
function step (path: string, name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`
}

function show (v: AttributeValue): string {
  const text = JSON.stringify(v, (_k, x: unknown) => x instanceof Uint8Array ? `<${x.byteLength} bytes>` : x)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** Every difference between two attribute values, as "path: expected … got …". */
export function valueDiffs (expected: AttributeValue, actual: AttributeValue, path: string, out: string[] = []): string[] {
  const te = typeOf(expected)
  const ta = typeOf(actual)
  if (te !== ta) {
    out.push(`${path}: type ${te} expected, got ${ta} (${show(expected)} vs ${show(actual)})`)
    return out
  }
  switch (te) {
    case 'S': if (expected.S !== actual.S) out.push(`${path}: S ${show(expected)} expected, got ${show(actual)}`); break
    case 'N': if (!sameNumber(expected.N as string, actual.N as string)) out.push(`${path}: N ${expected.N as string} expected, got ${actual.N as string}`); break
    case 'B': if (b64(expected.B as Uint8Array) !== b64(actual.B as Uint8Array)) out.push(`${path}: B bytes differ (${(expected.B as Uint8Array).byteLength} vs ${(actual.B as Uint8Array).byteLength} bytes)`); break
    case 'BOOL': if (expected.BOOL !== actual.BOOL) out.push(`${path}: BOOL ${String(expected.BOOL)} expected, got ${String(actual.BOOL)}`); break
    case 'NULL': if (actual.NULL !== true) out.push(`${path}: NULL must be true`); break
    case 'SS': case 'NS': case 'BS': {
      const me = setMembers(expected, te)
      const ma = setMembers(actual, te)
      if (JSON.stringify(me) !== JSON.stringify(ma)) out.push(`${path}: ${te} members differ (${me.length} vs ${ma.length}: ${show(expected)} vs ${show(actual)})`)
      break
    }
    case 'L': {
      const le = expected.L as AttributeValue[]
      const la = actual.L as AttributeValue[]
      if (le.length !== la.length) out.push(`${path}: L of ${le.length} expected, got ${la.length}`)
      for (let i = 0; i < Math.min(le.length, la.length); i++) valueDiffs(le[i] as AttributeValue, la[i] as AttributeValue, `${path}[${i}]`, out)
      break
    }
    case 'M': mapDiffs(expected.M as Item, actual.M as Item, path, out); break
    default: out.push(`${path}: not a DynamoDB value (${show(expected)} vs ${show(actual)})`)
  }
  return out
}

function mapDiffs (expected: Item, actual: Item, path: string, out: string[]): string[] {
  const own = (o: Item, k: string): AttributeValue | undefined => Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined
  for (const k of Object.keys(expected)) {
    const a = own(actual, k)
    if (a === undefined) out.push(`${step(path, k)}: missing`)
    else valueDiffs(own(expected, k) as AttributeValue, a, step(path, k), out)
  }
  for (const k of Object.keys(actual)) if (own(expected, k) === undefined) out.push(`${step(path, k)}: unexpected attribute ${show(actual[k] as AttributeValue)}`)
  return out
}

/** A key attribute's identity (type plus value; numbers by value). */
function keyPart (v: AttributeValue | undefined): string {
  if (v === undefined) return '<none>'
  if (v.S !== undefined) return `S:${JSON.stringify(v.S)}`
  if (v.N !== undefined) return `N:${decimalValue(v.N) ?? v.N}`
  if (v.B !== undefined) return `B:${b64(v.B)}`
  return `?:${show(v)}`
}

/** Human-readable differences between two sets of items matched by key: missing, unexpected, duplicated, or differing (types exact, numbers by value, sets unordered). */
export function diffItems (expected: Item[], actual: Item[], keyName: string | string[]): string[] {
  const names = Array.isArray(keyName) ? keyName : [keyName]
  const keyOf = (item: Item): string => names.map((n) => keyPart(item[n])).join(' / ')
  const index = (items: Item[], side: string, out: string[]): Map<string, Item> => {
    const m = new Map<string, Item>()
    for (const item of items) {
      const k = keyOf(item)
      if (m.has(k)) out.push(`${k}: ${side} holds this key twice`)
      m.set(k, item)
    }
    return m
  }
  const out: string[] = []
  const e = index(expected, 'expected', out)
  const a = index(actual, 'actual', out)
  for (const [k, item] of e) {
    const got = a.get(k)
    if (got === undefined) out.push(`${k}: missing`)
    else for (const d of mapDiffs(item, got, '$', [])) out.push(`${k}: ${d}`)
  }
  for (const k of a.keys()) if (!e.has(k)) out.push(`${k}: unexpected item`)
  return out
}
