import type { AttributeValue } from '@aws-sdk/client-dynamodb'

/** One raw low-level DynamoDB item. */
export type Item = Record<string, AttributeValue>

// The one AttributeValue comparator of the tests (the oracle): written from DynamoDB's rules alone, it imports nothing from src/.

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
export function typeOf (v: AttributeValue | undefined): TypeName | '?' {
  const present = TYPES.filter((t) => (v as unknown as Record<string, unknown> | undefined)?.[t] !== undefined)
  return present.length === 1 ? present[0] as TypeName : '?'
}

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

/** A set's members as sorted comparable texts (NS by value). */
function setMembers (v: AttributeValue, type: 'SS' | 'NS' | 'BS'): string[] {
  if (type === 'SS') return [...(v.SS ?? [])].map((s) => JSON.stringify(s)).sort()
  if (type === 'NS') return [...(v.NS ?? [])].map((n) => decimalValue(n) ?? `not a number ${JSON.stringify(n)}`).sort()
  return [...(v.BS ?? [])].map(b64).sort()
}

/** A path segment as DynamoDB document paths read, quoting names that are not plain identifiers. */
function step (path: string, name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`
}

/** A value, short, bytes as their length. */
export function show (v: AttributeValue | undefined): string {
  const text = JSON.stringify(v, (_k, x: unknown) => x instanceof Uint8Array ? `<${x.byteLength} bytes>` : x) ?? 'undefined'
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** Every difference between two attribute values as DynamoDB stores them (types exact, numbers by value, sets unordered), as "path: expected … got …". */
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
    case 'NULL': if (expected.NULL !== true || actual.NULL !== true) out.push(`${path}: NULL must be true (${show(expected)} vs ${show(actual)})`); break
    case 'SS': case 'NS': case 'BS': {
      const me = setMembers(expected, te)
      const ma = setMembers(actual, te)
      // Like N, an NS member that is not a number never equals anything, even the same text.
      if (JSON.stringify(me) !== JSON.stringify(ma) || [...me, ...ma].some((m) => m.startsWith('not a number'))) out.push(`${path}: ${te} members differ (${me.length} vs ${ma.length}: ${show(expected)} vs ${show(actual)})`)
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

/** Every difference between two attribute maps: missing and unexpected names (own properties only: `__proto__` is a name), then each value. */
export function mapDiffs (expected: Item, actual: Item, path: string, out: string[] = []): string[] {
  const own = (o: Item, k: string): AttributeValue | undefined => Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined
  for (const k of Object.keys(expected)) {
    const a = own(actual, k)
    if (a === undefined) out.push(`${step(path, k)}: missing`)
    else valueDiffs(own(expected, k) as AttributeValue, a, step(path, k), out)
  }
  for (const k of Object.keys(actual)) if (own(expected, k) === undefined) out.push(`${step(path, k)}: unexpected attribute ${show(actual[k])}`)
  return out
}

/** Every difference between two items (either may be absent), as mapDiffs reports them from `$`. */
export function itemDiffs (expected: Item | undefined, actual: Item | undefined): string[] {
  if (expected === undefined || actual === undefined) return expected === actual ? [] : [`$: item ${expected === undefined ? 'not expected' : 'missing'}`]
  return mapDiffs(expected, actual, '$')
}
