import type { Test } from 'tap'
import { decodeNumber } from '../../../src/model/codec.js'
import { isPreciseNumber, OPERATIONS, type Data, type OpenCDCRecord, type StructuredData, type Value } from '../../../src/model/record.js'

import { rng } from '../../helpers/random.js'

export { rng }

const NUMBERS = ['0', '1', '-7', '3.14', '9007199254740993', '99999999999999999999999999999999999999', '-12345678901234567890.123456789012345678',
  '3.14159265358979323846264338327950288', '0.' + '0'.repeat(129) + '1', '1e+21', '1.5', '-0.000001']
const STRINGS = ['', 'a', 'ünïcødé ✓', 'quote " and \\ back', 'line\nbreak', '{"not":"json"}', 'x'.repeat(50), 'emoji 😀', 'ctrl \u0001 \u001f', 'sep \u2028']

function pick<T> (r: () => number, xs: readonly T[]): T { return xs[Math.floor(r() * xs.length)] as T }

function bytes (r: () => number): Uint8Array {
  const n = 1 + Math.floor(r() * 12)
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256))
}

/** A value of any DynamoDB type; `plain` limits it to what plain JSON carries (no sets, no bytes). */
export function genValue (r: () => number, depth: number, plain: boolean): Value {
  const kinds = plain ? ['s', 'n', 'bool', 'null', 'l', 'm'] : ['s', 'n', 'bool', 'null', 'b', 'ss', 'ns', 'bs', 'l', 'm']
  const k = depth > 2 ? pick(r, kinds.filter((x) => x !== 'l' && x !== 'm')) : pick(r, kinds)
  switch (k) {
    case 's': return pick(r, STRINGS)
    case 'n': return r() < 0.3 ? Math.floor(r() * 1e6) - 5e5 : decodeNumber(pick(r, NUMBERS))
    case 'bool': return r() < 0.5
    case 'null': return null
    case 'b': return bytes(r)
    case 'ss': return new Set(['a', 'b', 'ç'].slice(0, 1 + Math.floor(r() * 3)))
    case 'ns': return new Set(['1', '2.5', '99999999999999999999999999999999999999'].slice(0, 1 + Math.floor(r() * 3)).map(decodeNumber)) as Set<number>
    case 'bs': return new Set([bytes(r), Uint8Array.of(0, 255)])
    case 'l': return Array.from({ length: Math.floor(r() * 4) }, () => genValue(r, depth + 1, plain))
    default: return genItem(r, depth + 1, plain)
  }
}

export function genItem (r: () => number, depth: number, plain: boolean): StructuredData {
  const out: StructuredData = {}
  const n = Math.floor(r() * 5) + (depth === 0 ? 1 : 0)
  for (let i = 0; i < n; i++) out[pick(r, ['id', 'name', 'n', 'tags', 'nested', 'a-b', 'x y', 'ä', '_z', 'string', 'item', 'record'])] = genValue(r, depth, plain)
  return out
}

export function genRecord (r: () => number, plain: boolean): OpenCDCRecord {
  const data = (): Data => r() < 0.15 ? null : r() < 0.1 ? bytes(r) : genItem(r, 0, plain)
  return {
    position: Buffer.from(bytes(r)),
    operation: pick(r, OPERATIONS),
    metadata: r() < 0.2 ? {} : { 'opencdc.collection': 'Orders', 'opencdc.readAt': '1700000000123456789', 'x-ü': pick(r, STRINGS) },
    key: data(),
    payload: { before: data(), after: data() }
  }
}

/** A canonical, comparable form of a value: types made explicit, sets sorted. */
export function canon (v: unknown): unknown {
  if (v === null || v === undefined) return { null: true }
  if (typeof v === 'number') return { N: String(v) }
  if (isPreciseNumber(v)) return { N: v.value }
  if (typeof v === 'string') return { S: v }
  if (typeof v === 'boolean') return { BOOL: v }
  if (v instanceof Uint8Array) return { B: Buffer.from(v).toString('base64') }
  if (v instanceof Set) return { SET: [...v].map((x) => JSON.stringify(canon(x))).sort() }
  if (Array.isArray(v)) return { L: v.map(canon) }
  const o = v as Record<string, unknown>
  return { M: Object.fromEntries(Object.keys(o).sort().map((k) => [k, canon(o[k])])) }
}

export function canonRecord (r: OpenCDCRecord): unknown {
  return { position: r.position.toString('base64'), operation: r.operation, metadata: r.metadata, key: canon(r.key), before: canon(r.payload.before), after: canon(r.payload.after) }
}

/** How many of `count` generated records (seeded) come back from `through` different by canonRecord; the first two are shown as failed t.same. */
export function roundTripFailures (t: Test, seed: number, plain: boolean, through: (rec: OpenCDCRecord) => OpenCDCRecord, count = 2000): number {
  const r = rng(seed)
  let failures = 0
  for (let i = 0; i < count; i++) {
    const rec = genRecord(r, plain)
    const back = through(rec)
    if (JSON.stringify(canonRecord(back)) !== JSON.stringify(canonRecord(rec))) {
      failures++
      if (failures < 3) t.same(canonRecord(back), canonRecord(rec), `record ${i} round-trips`)
    }
  }
  return failures
}
