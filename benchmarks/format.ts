// Serialize/parse throughput of opencdc/json against plain JSON.stringify / JSON.parse per line, same run.
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'
import { decodeNumber } from '../src/model/codec.js'
import { createRecord, type OpenCDCRecord } from '../src/model/record.js'
import { serializeOpenCDC } from '../src/transforms/format.js'
import { createLineParser, parseJSONL } from '../src/transforms/jsonl.js'

export interface FormatBenchResult {
  records: number
  /** records/s (wall clock) */
  serialize: { ours: number, baseline: number }
  /** records/s (wall clock); ours is the full parseJSONL stream, oursLine the per-line parser alone */
  parse: { ours: number, baseline: number, oursLine: number }
  /** The same rates per CPU-second of this process: "on one core" even when the machine is shared. */
  cpu: { serialize: { ours: number, baseline: number }, parse: { ours: number, baseline: number, oursLine: number } }
}

/** A typical CDC record: ~12 attributes, a set, bytes, nested maps; every 10th holds a 38-digit number. */
export function sampleRecords (n: number): OpenCDCRecord[] {
  return Array.from({ length: n }, (_, i) => createRecord({
    position: `shard-000${i % 4}/${49500000000000000000000 + i}`,
    operation: i % 3 === 0 ? 'update' : 'create',
    metadata: { 'opencdc.collection': 'Orders', 'opencdc.readAt': '1700000000123456789', 'opencdc.createdAt': '1700000000000000000' },
    key: { pk: `customer#${i % 1000}`, sk: `order#${i}` },
    before: i % 3 === 0 ? { pk: `customer#${i % 1000}`, sk: `order#${i}`, status: 'open', total: 10.5 } : null,
    after: {
      pk: `customer#${i % 1000}`,
      sk: `order#${i}`,
      status: 'paid',
      total: 12.75,
      qty: i % 17,
      big: i % 10 === 0 ? decodeNumber('12345678901234567890123456789012345678') : i,
      tags: new Set(['a', 'b']),
      paid: true,
      note: null,
      blob: Uint8Array.of(1, 2, 3, 4),
      addr: { city: 'Lisbon', zip: '1000-001', geo: { lat: 38.72, lon: -9.14 } },
      items: [{ sku: 'x1', n: 1 }, { sku: 'y2', n: 2 }]
    }
  }))
}

// What a naive writer would send through JSON.stringify: the same record with JSON-ready fields.
function plain (r: OpenCDCRecord): unknown {
  const conv = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
    if (v instanceof Set) return [...v].map(conv)
    if (Array.isArray(v)) return v.map(conv)
    if (v !== null && typeof v === 'object') return 'value' in v && Object.keys(v).length === 1 ? Number((v as { value: string }).value) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)]))
    return v
  }
  return { position: r.position.toString('base64'), operation: r.operation, metadata: r.metadata, key: conv(r.key), payload: { before: conv(r.payload.before), after: conv(r.payload.after) } }
}

function rate (n: number, ms: number): number { return Math.round(n / (ms / 1000)) }

interface Timing { wall: number, cpu: number }

function time (fn: () => void): Timing {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  fn()
  const c = process.cpuUsage(c0)
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 }
}

async function timeAsync (fn: () => Promise<void>): Promise<Timing> {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await fn()
  const c = process.cpuUsage(c0)
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 }
}

export async function runFormatBench ({ records = 100_000 }: { records?: number } = {}): Promise<FormatBenchResult> {
  const recs = sampleRecords(Math.min(records, 10_000))
  const plains = recs.map(plain)
  const pick = <T>(xs: T[], i: number): T => xs[i % xs.length] as T
  let sink = 0
  // Warm up both paths so the JIT treats them alike; byteLength flattens the string, as a write would.
  for (let i = 0; i < 20_000; i++) { sink += serializeOpenCDC(pick(recs, i)).length + JSON.stringify(pick(plains, i)).length }

  const serOurs = time(() => { for (let i = 0; i < records; i++) sink += Buffer.byteLength(serializeOpenCDC(pick(recs, i)) + '\n') })
  const serBase = time(() => { for (let i = 0; i < records; i++) sink += Buffer.byteLength(JSON.stringify(pick(plains, i)) + '\n') })

  const lines = recs.map((r) => serializeOpenCDC(r))
  const text = Array.from({ length: records }, (_, i) => pick(lines, i)).join('\n') + '\n'
  const parseLine = createLineParser()
  for (let i = 0; i < 20_000; i++) { parseLine(pick(lines, i)); JSON.parse(pick(lines, i)) }
  const lineOurs = time(() => { for (let i = 0; i < records; i++) parseLine(pick(lines, i)) })
  const parseBase = time(() => { for (const l of text.split('\n')) if (l !== '') sink += (JSON.parse(l) as object) === null ? 0 : 1 })

  const bytes = Buffer.from(text)
  const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536))
  let count = 0
  // Warm the stream path too (the per-line loops above are warmed): 10k records, not counted.
  const warm = Buffer.from(lines.slice(0, 10_000).join('\n') + '\n')
  await pipeline(Readable.from([warm], { objectMode: false }), parseJSONL(), new Writable({ objectMode: true, write (_r, _e, cb) { cb() } }))
  const streamOurs = await timeAsync(() => pipeline(Readable.from(chunks, { objectMode: false }), parseJSONL(), new Writable({ objectMode: true, highWaterMark: 1024, write (_r, _e, cb) { count++; cb() } })))
  if (count !== records || sink === 0) throw new Error(`benchmark parsed ${count} of ${records} records`)

  return {
    records,
    serialize: { ours: rate(records, serOurs.wall), baseline: rate(records, serBase.wall) },
    parse: { ours: rate(records, streamOurs.wall), baseline: rate(records, parseBase.wall), oursLine: rate(records, lineOurs.wall) },
    cpu: {
      serialize: { ours: rate(records, serOurs.cpu), baseline: rate(records, serBase.cpu) },
      parse: { ours: rate(records, streamOurs.cpu), baseline: rate(records, parseBase.cpu), oursLine: rate(records, lineOurs.cpu) }
    }
  }
}

/** Cases in the shape of benchmarks/harness.ts (name, unit, ours, baseline…), for benchmarks/cases.ts. */
export async function formatBenchCases (quick: boolean): Promise<Array<{ name: string, unit: string, ours: number, baseline: number, baselineName: string, target: string }>> {
  const r = await runFormatBench({ records: quick ? 50_000 : 300_000 })
  return [
    { name: 'format.serialize.opencdc-json', unit: 'records/s', ours: r.serialize.ours, baseline: r.serialize.baseline, baselineName: 'JSON.stringify per line', target: '≥ 250k/s' },
    { name: 'format.parse.jsonl-stream', unit: 'records/s', ours: r.parse.ours, baseline: r.parse.baseline, baselineName: 'split + JSON.parse per line', target: '≥ 150k/s' },
    { name: 'format.serialize.opencdc-json.cpu', unit: 'records/CPU-s', ours: r.cpu.serialize.ours, baseline: r.cpu.serialize.baseline, baselineName: 'JSON.stringify per line', target: '≥ 250k/s' },
    { name: 'format.parse.jsonl-stream.cpu', unit: 'records/CPU-s', ours: r.cpu.parse.ours, baseline: r.cpu.parse.baseline, baselineName: 'split + JSON.parse per line', target: '≥ 150k/s' }
  ]
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const records = Number(process.argv[2] ?? 300_000)
  process.stdout.write(JSON.stringify(await runFormatBench({ records }), null, 2) + '\n')
}
