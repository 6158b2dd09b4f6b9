import { decodeNumber, isUnsafeInteger, numberTextOf, pathOf, type Trail } from './codec.js'
import { OpenCDCError } from '../errors/index.js'
import { parseJSONExact } from './json-exact.js'
import { isPreciseNumber, type Value } from './record.js'

// Attribute names repeat across records; quoting each once saves most of the key cost.
const quoted = new Map<string, string>()
function quoteKey (k: string): string {
  let q = quoted.get(k)
  if (q === undefined) {
    q = JSON.stringify(k)
    if (quoted.size < 10_000) quoted.set(k, q)
  }
  return q
}

// Most strings need no escaping; only these characters (and lone surrogates) do.
// eslint-disable-next-line no-control-regex -- JSON must escape exactly the control characters U+0000–U+001F
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

// Records of one table repeat the same attribute lists: remember the sorted order of each list seen
// (found by its first name, confirmed name by name) instead of sorting every record's keys again.
const orders = new Map<string, Array<{ keys: string[], sorted: string[] }>>()

function sameKeys (a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** An object's keys, sorted (the order is cached per key list). */
export function sortedKeys (o: object): string[] {
  const keys = Object.keys(o)
  let i = 1
  while (i < keys.length && (keys[i - 1] as string) <= (keys[i] as string)) i++
  if (i >= keys.length) return keys
  const first = keys[0] as string
  const known = orders.get(first)
  if (known !== undefined) for (const e of known) if (sameKeys(e.keys, keys)) return e.sorted
  const sorted = keys.slice().sort()
  if (known === undefined) { if (orders.size < 10_000) orders.set(first, [{ keys, sorted }]) } else if (known.length < 8) known.push({ keys, sorted })
  return sorted
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
 * text of a type hint, `["B","m","l",1]` (its type, then its path: names quoted, list indexes as numbers).
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
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : '"' + value + '"'
  // An unsafe integer as its exact value (numberTextOf), the text DynamoDB stores and decodeNumber maps back to the same double.
  if (typeof value === 'number') return Number.isFinite(value) ? numberTextOf(value) : 'null'
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
      hints?.push('["B",' + path + ']')
      return '"' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') + '"'
    }
    if (value instanceof Set) {
      hints?.push('["' + setType(value, path) + '",' + path + ']')
      let out = '['
      let first = true
      for (const x of value) { out += (first ? '' : ',') + write(x, undefined, ''); first = false }
      return out + ']'
    }
  }
  const keys = sortedKeys(value)
  let out = '{'
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    const q = quoteKey(k)
    const v = (value as Record<string, unknown>)[k]
    out += (i > 0 ? ',' : '') + q + ':' + write(v, hints, pathTo(hints, v, path, q))
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
  const at = pathOf('$', JSON.parse('[' + path + ']') as Trail)
  const why = set.size === 0 ? 'an empty set has no DynamoDB type' : 'a set must hold only strings, only numbers or only binaries'
  throw new OpenCDCError('ERR_DDB_INVALID_VALUE', `value at ${at}: ${why} (plain JSON would read it back as a list; set opencdc.typeHints=false to write it anyway)`, { path: at })
}

// Every number token of a JSON document follows ":", "," or "[" (or starts it); one of 16+ digit characters may not fit a
// double, nor may a short one with a 2-digit exponent: 7.49369E+20 is an integer above 2^53 (DynamoDB Local writes nested NS so).
const MAYBE_LONG = /(?:^|[:,[])\s*-?(?:[\d.]{16}|\d[\d.]*[eE]\+?\d\d)/
const CANDIDATES = /([:,[]\s*)(-?\d(?:[\d.eE+-]{15,}|[\d.]*[eE]\+?\d\d+))/g
// A JSON string, or a number token long enough (or with an exponent large enough) that a double might not hold it.
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d(?:[\d.eE+-]{15,}|[\d.]*[eE]\+?\d\d+)/g
const HAS_U0001 = /\\u0001/i

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
  // A short exponent token stays a double unless it is an integer the writer would print with other digits (2^53 ≤ |n| < 1e21).
  if (token.length < 16 && !isUnsafeInteger(Number(token))) return undefined
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
