import { PreciseNumber, type StructuredData, type Value } from '../../src/model/record.js'

/** A small seeded PRNG (mulberry32) so property tests are reproducible from their seed. */
export function rng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Numbers at DynamoDB's edges: 38 digits, tiny and huge exponents, beyond 2^53. */
export const EDGE_NUMBERS: Array<number | PreciseNumber> = [
  0, 1, -1, 0.5, -0.000001, 1e-130, 9007199254740991,
  new PreciseNumber('9007199254740993'),
  new PreciseNumber('3.14159265358979323846264338327950288'),
  new PreciseNumber('12345678901234567890123456789012345678'),
  new PreciseNumber('-0.00000000000000000000000000000000000001'),
  new PreciseNumber('9.9999999999999999999999999999999999999E+125'),
  new PreciseNumber('1E-130'),
  123.456, 1e21, 2 ** 60
]

export function randomValue (r: () => number, depth = 0): Value {
  const pick = Math.floor(r() * (depth > 2 ? 9 : 11))
  const int = (n: number): number => Math.floor(r() * n)
  switch (pick) {
    case 0: return randomString(r)
    case 1: return EDGE_NUMBERS[int(EDGE_NUMBERS.length)] as number
    case 2: return (r() - 0.5) * 10 ** int(20)
    case 3: return Buffer.from(Array.from({ length: int(40) }, () => int(256)))
    case 4: return r() < 0.5
    case 5: return null
    case 6: return new Set(Array.from({ length: 1 + int(5) }, (_, i) => `${randomString(r)}#${i}`))
    case 7: return new Set<number | PreciseNumber>([...new Set(Array.from({ length: 1 + int(5) }, (_, i) => i * 7 + int(7)))].map((n, i) => i === 0 ? new PreciseNumber(`1${'0'.repeat(30)}${n}`) : n))
    case 8: return new Set(Array.from({ length: 1 + int(4) }, (_, i) => Buffer.from([i, ...Array.from({ length: int(10) }, () => int(256))])))
    case 9: return Array.from({ length: int(5) }, () => randomValue(r, depth + 1))
    default: return randomItem(r, depth + 1)
  }
}

export function randomString (r: () => number): string {
  const alphabet = ['a', 'Z', '0', ' ', 'é', '日本', '🙂', '"', '\\', '\n', '\u0000']
  return Array.from({ length: Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('')
}

export function randomItem (r: () => number, depth = 0): StructuredData {
  const out: StructuredData = {}
  const n = 1 + Math.floor(r() * 6)
  for (let i = 0; i < n; i++) out[`f${i}_${Math.floor(r() * 100)}`] = randomValue(r, depth)
  return out
}

/** Seeded xorshift32 (the destination tests' sequences), so a failing random sequence replays. */
export function xorshift (seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    return x / 0x100000000
  }
}
