import { decodeNumber, isUnsafeInteger, numberTextOf, pathOf, type Trail } from './codec.js'
import { OpenCDCError } from '../errors/index.js'
import { parseJSONExact } from './json-exact.js'
import { isPreciseNumber, type Value } from './record.js'

// Most strings need no escaping; only these characters (and lone surrogates) do.
// eslint-disable-next-line no-control-regex -- JSON must escape exactly the control characters U+0000–U+001F
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** A string as JSON text: quoted as is unless a character needs escaping (short strings checked in a loop, cheaper than the regex). */
export function quoteString (s: string): string {
  if (s.length > 32) return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s)
  }
  return '"' + s + '"'
}

/** An object's key list, sorted, with each key's JSON text and the text that opens its member (`{"k":` or `,"k":`). */
/** `hinted`: each quoted key escaped once more, as it stands inside the type-hints metadata string. */
interface Shape { own: string[], keys: string[], quoted: string[], hinted: string[], heads: string[], order: number[] }

// Records of one table repeat the same attribute lists: each list seen (found by its first name, confirmed
// name by name) keeps its sorted order and quoted keys, so a record neither sorts nor quotes again.
const shapes = new Map<string, Shape[]>()
const EMPTY: Shape = { own: [], keys: [], quoted: [], hinted: [], heads: [], order: [] }

function sameKeys (a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function shapeOf (o: object): Shape {
  const own = Object.keys(o)
  if (own.length === 0) return EMPTY
  const first = own[0] as string
  const known = shapes.get(first)
  if (known !== undefined) for (const e of known) if (sameKeys(e.own, own)) return e
  const keys = own.slice().sort()
  const quoted = keys.map((k) => JSON.stringify(k))
  // order[i]: where the i-th sorted key sits among the object's own keys (and so among Object.values).
  const shape = { own, keys, quoted, hinted: quoted.map((q) => JSON.stringify(q).slice(1, -1)), heads: quoted.map((q, i) => (i === 0 ? '{' : ',') + q + ':'), order: keys.map((k) => own.indexOf(k)) }
  if (known === undefined) { if (shapes.size < 10_000) shapes.set(first, [shape]) } else if (known.length < 8) known.push(shape)
  return shape
}

/** An object's keys, sorted (the order is cached per key list). */
export function sortedKeys (o: object): string[] {
  return shapeOf(o).keys
}

const JSON_NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?([eE][+-]?\d+)?$/

/**
 * A DynamoDB number text as valid JSON number syntax with every significant digit: DynamoDB Local keeps
 * nested text as written (`007`, `5.`, `+5`, `.5`), which no JSON parser accepts. Valid text is returned as is.
 */
export function jsonNumberText (text: string): string {
  if (JSON_NUMBER_TEXT.test(text)) return text
  const m = DECIMAL_TEXT.exec(text)
  if (m === null || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) {
    throw new OpenCDCError('ERR_DDB_INVALID_VALUE', `${JSON.stringify(text)} is not a decimal number`, { value: text })
  }
  const int = (m[2] ?? '').replace(/^0+(?=\d)/, '')
  const frac = m[3] ?? ''
  return (m[1] === '-' ? '-' : '') + (int === '' ? '0' : int) + (frac === '' ? '' : '.' + frac) + (m[4] ?? '')
}

/**
 * Where stringifyValue notes the types plain JSON cannot say: each set or binary met is pushed as the
 * text of a type hint, `["B","m","l",1]` (its type, then its path: names quoted, list indexes as numbers),
 * already escaped as it stands inside the metadata string: `[\"B\",\"m\",\"l\",1]`.
 */
export type HintSink = string[]

/**
 * Plain JSON text of a value, the way Conduit writes structured data: object keys sorted, bytes as
 * base64, sets as arrays, and precise numbers as number literals with every digit. On every record's hot path.
 */
export function stringifyValue (value: unknown, hints?: HintSink): string {
  return write(value, hints, '')
}

// Only container children get a path (a set or binary is an object): scalars cost no string building.
function pathTo (hints: HintSink | undefined, v: unknown, path: string, piece: string): string {
  return hints === undefined || typeof v !== 'object' || v === null ? '' : path === '' ? piece : path + ',' + piece
}

function write (value: unknown, hints: HintSink | undefined, path: string): string {
  if (typeof value === 'string') return quoteString(value)
  // An unsafe integer as its exact value (numberTextOf), the text DynamoDB stores and decodeNumber maps back to the same double;
  // a 32-bit integer (-0 included, which String writes as 0 like numberTextOf) needs no check.
  if (typeof value === 'number') return (value | 0) === value ? String(value) : Number.isFinite(value) ? numberTextOf(value) : 'null'
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object') return 'null'
  // Plain objects (items, maps) are the common case: one constructor check before the rarer kinds.
  const ctor = (value as { constructor?: unknown }).constructor
  if (ctor !== Object && ctor !== undefined) {
    if (Array.isArray(value)) {
      let out = '['
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i]
        out += (i > 0 ? ',' : '') + write(v, hints, pathTo(hints, v, path, String(i)))
      }
      return out + ']'
    }
    if (isPreciseNumber(value)) return jsonNumberText(value.value)
    if (value instanceof Uint8Array) {
      hints?.push('[\\"B\\",' + path + ']')
      return '"' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') + '"'
    }
    if (value instanceof Set) {
      hints?.push('[\\"' + setType(value, path) + '\\",' + path + ']')
      let out = '['
      let first = true
      for (const x of value) { out += (first ? '' : ',') + write(x, undefined, ''); first = false }
      return out + ']'
    }
  }
  const { hinted, heads, order } = shapeOf(value)
  if (order.length === 0) return '{}'
  // One Object.values call instead of a keyed load per member (the profile's hottest line: attribute names are megamorphic keys).
  const values = Object.values(value)
  let out = ''
  for (let i = 0; i < order.length; i++) {
    const v: unknown = values[order[i] as number]
    out += (heads[i] as string) + write(v, hints, pathTo(hints, v, path, hinted[i] as string))
  }
  return out + '}'
}

function memberType (x: unknown): 'SS' | 'NS' | 'BS' | undefined {
  if (typeof x === 'string') return 'SS'
  if (typeof x === 'number' || typeof x === 'bigint' || isPreciseNumber(x)) return 'NS'
  return x instanceof Uint8Array ? 'BS' : undefined
}

/** SS, NS or BS for a set whose members are all of one kind; otherwise an error naming its path. */
function setType (set: Set<unknown>, path: string): 'SS' | 'NS' | 'BS' {
  let type: 'SS' | 'NS' | 'BS' | undefined
  for (const x of set) {
    const t = memberType(x)
    if (t === undefined || (type !== undefined && t !== type)) { type = undefined; break }
    type = t
  }
  if (type !== undefined) return type
  const at = pathOf('$', JSON.parse(JSON.parse('"[' + path + ']"') as string) as Trail)
  const why = set.size === 0 ? 'an empty set has no DynamoDB type' : 'a set must hold only strings, only numbers or only binaries'
  throw new OpenCDCError('ERR_DDB_INVALID_VALUE', `value at ${at}: ${why} (plain JSON would read it back as a list; set opencdc.typeHints=false to write it anyway)`, { path: at })
}

// Every number token of a JSON document follows ":", "," or "[" (or starts it); one of 16+ digit characters may not fit a
// double, nor may a short one with a 2-digit exponent (7.49369E+20 is an integer above 2^53, DynamoDB Local writes nested NS so;
// 1e400 overflows) or a 3-digit negative one (1e-400 underflows to 0, 1.5e-320 is a subnormal with fewer digits).
const MAYBE_LONG = /(?:^|[:,[])\s*-?(?:[\d.]{16}|\d[\d.]*[eE](?:\+?\d\d|-\d{3}))/
const CANDIDATES = /([:,[]\s*)(-?\d(?:[\d.eE+-]{15,}|[\d.]*[eE](?:\+?\d\d+|-\d{3,})))/g
// A JSON string, or a number token long enough (or with an exponent large or small enough) that a double might not hold it.
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d(?:[\d.eE+-]{15,}|[\d.]*[eE](?:\+?\d\d+|-\d{3,}))/g
const HAS_U0001 = /\\u0001/i
const MIN_NORMAL = 2.2250738585072014e-308

function revive (v: unknown, found: string[], seen: { n: number }): unknown {
  if (typeof v === 'string') {
    if (v.charCodeAt(0) !== 1) return v
    seen.n++
    return decodeNumber(found[Number(v.slice(1))] as string)
  }
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i], found, seen)
    return v
  }
  const o = v as Record<string, unknown>
  for (const k in o) o[k] = revive(o[k], found, seen)
  return v
}

function swapNumber (found: string[], token: string): string | undefined {
  if (!JSON_NUMBER_TEXT.test(token) || typeof decodeNumber(token) === 'number') return undefined
  // A short token (≤ 15 significant digits) is exact as a double in the normal range (DBL_DIG), unless it is an integer the
  // writer would print with other digits (2^53 ≤ |n| < 1e21); out of that range (overflow, subnormal, underflow to 0) it is kept as text.
  if (token.length < 16) {
    const n = Math.abs(Number(token))
    if (n >= MIN_NORMAL && n <= Number.MAX_VALUE && !isUnsafeInteger(n)) return undefined
  }
  found.push(token)
  return '"\\u0001' + String(found.length - 1) + '"'
}

function parseSwapped (swapped: string, found: string[]): unknown {
  const value = JSON.parse(swapped) as unknown
  if (found.length === 0) return value
  const seen = { n: 0 }
  const out = revive(value, found, seen)
  if (seen.n !== found.length) throw new SyntaxError('placeholder count mismatch')
  return out
}

/**
 * JSON.parse that keeps every digit: a number a double cannot hold exactly comes back as a
 * PreciseNumber. Documents with long number tokens stay on the native JSON.parse too: those tokens are
 * swapped for placeholder strings starting with U+0001 (which a JSON text can only hold escaped) and revived.
 */
export function parseJSONLossless (text: string): unknown {
  if (!MAYBE_LONG.test(text)) return JSON.parse(text)
  if (HAS_U0001.test(text)) return parseJSONExact(text)
  // Quick swap by context; a token that was really inside a string leaves a backslash outside one, which JSON.parse rejects.
  const quick: string[] = []
  const swapped = text.replace(CANDIDATES, (m, pre: string, num: string) => {
    const p = swapNumber(quick, num)
    return p === undefined ? m : pre + p
  })
  try {
    return parseSwapped(swapped, quick)
  } catch {}
  const found: string[] = []
  const exact = text.replace(TOKENS, (m) => m.charCodeAt(0) === 34 ? m : swapNumber(found, m) ?? m)
  try {
    return parseSwapped(exact, found)
  } catch (err) {
    // Report a syntax error at its position in the original text.
    JSON.parse(text)
    throw err
  }
}

export type { Value }
