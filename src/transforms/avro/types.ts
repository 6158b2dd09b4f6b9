import avro from 'avsc'
import { setOwn } from '../../model/own-property.js'

// Two avsc types replaced so every DynamoDB value survives: a long exact over int64, a map that keeps a `__proto__` key.

// avsc's own long zigzag-encodes in doubles ((-n * 2) - 1), so an odd bit past 2^53 is lost: every integer
// below -2^52 came back with its sign flipped (-4503599627370497 → 4503599627370496). This long goes through
// the 8-byte two's complement instead (the wire format is the same varint), exact over the whole int64 range.

const TWO_32 = 4294967296
const MIN_INT64 = -(2n ** 63n)
const MAX_INT64 = 2n ** 63n - 1n

/** A decoded long: a JS number when it is a safe integer, else a bigint (never a rounded number). */
export type Long = number | bigint

function toBuffer (n: Long): Buffer {
  const buf = Buffer.allocUnsafe(8)
  if (typeof n === 'bigint') { buf.writeBigInt64LE(n); return buf }
  // A safe integer splits exactly into a signed high word and an unsigned low word.
  const hi = Math.floor(n / TWO_32)
  buf.writeUInt32LE(n - hi * TWO_32, 0)
  buf.writeInt32LE(hi, 4)
  return buf
}

function fromBuffer (buf: Buffer): Long {
  const hi = buf.readInt32LE(4)
  // |hi| < 2^21 keeps |n| ≤ 2^53, where the sum is exact.
  if (hi >= -2097152 && hi < 2097152) {
    const n = hi * TWO_32 + buf.readUInt32LE(0)
    if (Number.isSafeInteger(n)) return n
  }
  return buf.readBigInt64LE(0)
}

function isValid (n: unknown): boolean {
  return typeof n === 'number' ? Number.isSafeInteger(n) : typeof n === 'bigint' && n >= MIN_INT64 && n <= MAX_INT64
}

function fromJSON (n: unknown): Long {
  const big = typeof n === 'bigint' ? n : BigInt(n as number | string)
  return big >= -BigInt(Number.MAX_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
}

/** The exact long type (see avroTypeHook). */
export const EXACT_LONG = avro.types.LongType.__with({
  toBuffer,
  fromBuffer,
  fromJSON,
  // A bigint stays a bigint: JSON.stringify then fails loudly rather than rounding it.
  toJSON: (n: Long) => n,
  isValid,
  compare: (a: Long, b: Long) => a < b ? -1 : a > b ? 1 : 0
})

interface Tap { readLong: () => number, skipLong: () => void, readString: () => string }
interface Reader { _read: (tap: Tap) => unknown }

// avsc's map reader assigns `val[key] = …`, so a key `__proto__` set the prototype (or vanished, for a string value).
class OwnKeyMap extends avro.types.MapType {
  _read (tap: Tap): Record<string, unknown> {
    const values = (this as unknown as { valuesType: Reader }).valuesType
    const val: Record<string, unknown> = {}
    for (let n = blockSize(tap); n !== 0; n = blockSize(tap)) {
      for (; n > 0; n--) { const key = tap.readString(); setOwn(val, key, values._read(tap)) }
    }
    return val
  }
}

// An Avro block count; a negative one is followed by the block's byte size (spec: "Complex Types: Arrays").
function blockSize (tap: Tap): number {
  const n = tap.readLong()
  if (n >= 0) return n
  tap.skipLong()
  return -n
}

/** A typeHook for `Type.forSchema`: every plain long becomes EXACT_LONG, every map an OwnKeyMap. */
export function avroTypeHook (schema: avro.Schema, opts: avro.ForSchemaOptions): avro.Type | undefined {
  if (schema === 'long') return EXACT_LONG
  if (typeof schema !== 'object' || Array.isArray(schema)) return undefined
  const s = schema as { type?: unknown, logicalType?: unknown }
  if (s.logicalType !== undefined) return undefined
  if (s.type === 'long') return EXACT_LONG
  return s.type === 'map' ? new OwnKeyMap(schema, opts) : undefined
}
