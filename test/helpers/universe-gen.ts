import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { decimalValue, type Item } from './attribute-diff.js'

/** Pieces strings and names are built from: unicode (emoji, ZWJ, RTL, combining), NUL, JSON and path syntax. Never lone surrogates (not UTF-8; DynamoDB on AWS rejects them). */
export const PIECES = ['a', 'Z', '0', ' ', 'é', 'e\u0301', '日本', '🙂', '👨‍👩‍👧', 'שׁ', 'مر', '"', '\\', '\n', '\t', '\u0000', '\u2028', '.', '[', ']', '$', '{', '}', '#', ':']

export type Rand = () => number

const int = (r: Rand, n: number): number => Math.floor(r() * n)
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)] as T

export function randomText (r: Rand, min: number, max: number): string {
  return Array.from({ length: min + int(r, max - min + 1) }, () => pick(r, PIECES)).join('')
}

/** Numbers at DynamoDB's edges: 38 significant digits, beyond 2^53, the smallest and largest magnitudes, zero's signs. */
export const EDGE_NUMBERS = [
  '0', '1', '-1', '0.1', '-0', '12345678901234567890123456789012345678', '-12345678901234567890123456789012345678',
  '3.1415926535897932384626433832795028841', '9007199254740993', '9007199254740992', '-9007199254740993',
  '1E-130', '-1E-130', '1.2345678901234567890123456789012345678E-130', '9.9999999999999999999999999999999999999E+125',
  '-9.9999999999999999999999999999999999999E+125', '1E+125', '123456789012345678901234567890.12345678', '1e21', '-0.000001',
  '-4503599627370497', '-727847800000000000000' // below -2^52 (Avro long's zigzag loses it); an unsafe integer String() reproduces
]

/** Number text DynamoDB accepts but does not write that way itself (kept verbatim inside L and M by DynamoDB Local). */
export const DENORMALIZED_NUMBERS = ['007', '5.', '+5', '.5', '1.50', '1e2', '-0.0', '00', '-.5', '1E+2', '0.0', '+0', '1.0e-5', '000.000100', '-007.50E+3', '1.2345678901234567890123456789012345678e+0']

/** A random decimal within DynamoDB's range; nested ones are sometimes written in denormalized text. */
export function randomNumber (r: Rand, nested: boolean): string {
  if (r() < 0.15) return pick(r, EDGE_NUMBERS)
  if (nested && r() < 0.1) return pick(r, DENORMALIZED_NUMBERS)
  const k = r() < 0.7 ? 1 + int(r, 8) : 1 + int(r, 38)
  const digits = String(1 + int(r, 9)) + Array.from({ length: k - 1 }, () => String(int(r, 10))).join('')
  const lead = r() < 0.8 ? int(r, 31) - 10 : int(r, 256) - 130 // decimal position of the leading digit, within 1E-130 … 9.99E+125
  const q = lead - (k - 1)
  const sign = r() < 0.4 ? '-' : nested && r() < 0.1 ? '+' : ''
  if (lead > 40 || q < -40 || r() < 0.15) {
    const mantissa = k > 1 ? `${digits[0] as string}.${digits.slice(1)}` : digits
    return `${sign}${mantissa}${r() < 0.5 ? 'E' : 'e'}${lead >= 0 && r() < 0.5 ? '+' : ''}${lead}`
  }
  let plain = q >= 0 ? digits + '0'.repeat(q) : -q < k ? `${digits.slice(0, k + q)}.${digits.slice(k + q)}` : `0.${'0'.repeat(-q - k)}${digits}`
  if (nested && r() < 0.3) {
    // Denormalize: leading zeros, a bare or zero-padded fraction (only with room under 38 digits), no leading 0 before the point.
    const style = int(r, 3)
    if (style === 0) plain = `00${plain}`
    else if (style === 1 && k <= 30) plain = plain.includes('.') ? `${plain}00` : `${plain}.${r() < 0.5 ? '' : '0'}`
    else if (plain.startsWith('0.')) plain = plain.slice(1)
  }
  return sign + plain
}

function uniqueBy<T> (xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>()
  return xs.filter((x) => { const k = key(x); if (seen.has(k)) return false; seen.add(k); return true })
}

const bytes = (r: Rand, n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(r, 256))

/** A random attribute value of any type; containers only above maxDepth. */
export function randomValue (r: Rand, depth: number, maxDepth = 5): AttributeValue {
  const kinds = depth < maxDepth ? 10 : 8
  const nested = depth > 0
  switch (int(r, kinds)) {
    case 0: return { S: randomText(r, 0, 10) }
    case 1: return { N: randomNumber(r, nested) }
    case 2: return { B: bytes(r, int(r, 40)) }
    case 3: return { BOOL: r() < 0.5 }
    case 4: return { NULL: true }
    case 5: return { SS: uniqueBy(Array.from({ length: 1 + int(r, 5) }, () => randomText(r, 0, 6)), (s) => s) }
    case 6: return { NS: uniqueBy(Array.from({ length: 1 + int(r, 5) }, () => randomNumber(r, nested)), (n) => decimalValue(n) as string) }
    case 7: return { BS: uniqueBy(Array.from({ length: 1 + int(r, 4) }, () => bytes(r, int(r, 12))), (b) => Buffer.from(b).toString('base64')) }
    case 8: return { L: Array.from({ length: int(r, 6) }, () => randomValue(r, depth + 1, maxDepth)) }
    default: return { M: randomMap(r, depth + 1, maxDepth) }
  }
}

/** A random map of 0–6 attributes with adversarial names (never empty: DynamoDB refuses empty names). */
export function randomMap (r: Rand, depth: number, maxDepth = 5): Item {
  const out: Item = {}
  const n = depth === 0 ? 1 + int(r, 8) : int(r, 6)
  for (let i = 0; i < n; i++) Object.defineProperty(out, randomText(r, 1, 4), { value: randomValue(r, depth, maxDepth), enumerable: true, writable: true, configurable: true })
  return out
}
