// curves.*: how time and memory grow with the work. Snapshot items/s and peak RSS at 10k / 100k / 1M items,
// MB/s at 300 B / 40 KB / 390 KB items, CDC drain of a 10k / 100k backlog, a snapshot of 1 / 4 / 16 tables;
// ours against the raw SDK loop. Each point runs in its own process (its peak RSS is its own); the run
// renders the SVG charts. BENCH_CURVES_SHRINK=N divides every point's item count by N (to try the code paths).
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { CreateTableCommand, DeleteTableCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { createDynamoDBClient, createStreamsClient } from '../src/aws/clients.js'
import { createChangeStream } from '../src/readable/cdc/change-stream.js'
import { checkStream } from '../src/readable/cdc/stream-check.js'
import { createSource } from '../src/readable/source.js'
import { createStreamTable, fill as fillStream, rawDrain } from './cdc.js'
import { onceGroup, type BenchGroup, type CaseResult } from './harness.js'
import { barChart, lineChart } from './svg.js'
import { fill, rawScan } from './snapshot.js'

type Mode = 'snapshot-ours' | 'snapshot-raw' | 'cdc-ours' | 'cdc-raw' | 'tables-ours' | 'tables-raw'
interface Point { rate: number, rssMiB: number }

/** One measurement in a child process: items (or records) per second and the child's peak RSS; `table` may be a comma-separated list. */
function measure (mode: Mode, endpoint: string, table: string, n: number): Point {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), mode, endpoint, table, String(n)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  return JSON.parse(out.trim().split('\n').pop() as string) as Point
}

async function child (mode: Mode, endpoint: string, table: string, n: number): Promise<Point> {
  const t0 = performance.now()
  let seen = 0
  if (mode === 'snapshot-ours') {
    for await (const record of createSource({ table, endpoint, snapshotOnly: true, snapshotSegments: 4 })) if (record !== undefined) seen++
  } else if (mode === 'snapshot-raw') {
    const client = createDynamoDBClient({ endpoint })
    seen = (await Promise.all([0, 1, 2, 3].map(async (s) => await rawScan(client, table, s, 4)))).reduce((a, b) => a + b, 0)
    client.destroy()
  } else if (mode === 'tables-ours') {
    for await (const record of createSource({ tables: table.split(','), endpoint, snapshotOnly: true, tableDiscoveryInterval: 0 })) if (record !== undefined) seen++
  } else if (mode === 'tables-raw') {
    // What a user would write without a many-table source: each table's 4-segment parallel Scan in turn.
    const client = createDynamoDBClient({ endpoint })
    for (const name of table.split(',')) seen += (await Promise.all([0, 1, 2, 3].map(async (s) => await rawScan(client, name, s, 4)))).reduce((a, b) => a + b, 0)
    client.destroy()
  } else if (mode === 'cdc-ours') {
    for await (const record of createChangeStream({ table, endpoint, startFrom: 'trim_horizon' })) { if (record !== undefined && ++seen === n) break }
  } else {
    seen = await rawStreamDrain(endpoint, table, n)
  }
  if (seen !== n) throw new Error(`${mode} read ${seen} of ${n}`)
  return { rate: n / ((performance.now() - t0) / 1000), rssMiB: process.resourceUsage().maxRSS / 1024 }
}

async function rawStreamDrain (endpoint: string, table: string, n: number): Promise<number> {
  const client = createDynamoDBClient({ endpoint })
  const streams = createStreamsClient({ endpoint })
  try {
    const { streamArn } = await checkStream({ client, streams, table, enableStream: false, enableStreamTimeout: 1, requireFullImages: true })
    await rawDrain(streams, streamArn, n)
    return n
  } finally {
    client.destroy()
    streams.destroy()
  }
}

const sized = (bytes: number) => (i: number): Record<string, AttributeValue> => ({ id: { S: `item-${i}` }, n: { N: String(i) }, s: { S: 'x'.repeat(Math.max(1, bytes - 40)) } })

/** Every point measured by the last run, for the charts. */
export interface CurvePoints {
  scale: Array<{ items: number, ours: Point, raw: Point }>
  itemSize: Array<{ bytes: number, items: number, ours: Point, raw: Point }>
  cdc: Array<{ records: number, ours: Point, raw: Point }>
  tables: Array<{ tables: number, items: number, ours: Point, raw: Point }>
}

/** The points of a run: the quick run's are small; the full run's reach 1M items and a 100k backlog. */
export function curveSizes (quick: boolean, shrink = 1): { scale: number[], itemSize: Array<[number, number]>, cdc: number[], tables: Array<[number, number]> } {
  const n = (count: number): number => Math.max(1, Math.round(count / shrink))
  const sizes = quick
    ? { scale: [3_000, 10_000], itemSize: [[300, 3_000], [40_000, 150], [390_000, 16]], cdc: [3_000], tables: [[1, 3_200], [4, 3_200], [16, 3_200]] }
    : { scale: [10_000, 100_000, 1_000_000], itemSize: [[300, 20_000], [40_000, 500], [390_000, 50]], cdc: [10_000, 100_000], tables: [[1, 32_000], [4, 32_000], [16, 32_000]] }
  return {
    scale: sizes.scale.map(n),
    itemSize: sizes.itemSize.map(([bytes, items]) => [bytes, n(items)] as [number, number]),
    cdc: sizes.cdc.map(n),
    // Items in all the tables together, at least one per table.
    tables: sizes.tables.map(([tables, items]) => [tables, Math.max(tables, n(items) - (n(items) % tables))] as [number, number])
  }
}

export async function runCurves (endpoint: string, quick: boolean, shrink = Number(process.env.BENCH_CURVES_SHRINK ?? 1)): Promise<CurvePoints> {
  const client = createDynamoDBClient({ endpoint })
  const points: CurvePoints = { scale: [], itemSize: [], cdc: [], tables: [] }
  const sizes = curveSizes(quick, shrink > 0 ? shrink : 1)
  const newTable = async (): Promise<string> => {
    const table = `curve_${Math.random().toString(36).slice(2, 10)}`
    await client.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
    return table
  }
  // Alternating order per point: ours first, then raw first.
  const pair = (mode: 'snapshot' | 'cdc' | 'tables', table: string, n: number, k: number): { ours: Point, raw: Point } => {
    if (k % 2 === 0) { const ours = measure(`${mode}-ours`, endpoint, table, n); return { ours, raw: measure(`${mode}-raw`, endpoint, table, n) } }
    const raw = measure(`${mode}-raw`, endpoint, table, n)
    return { ours: measure(`${mode}-ours`, endpoint, table, n), raw }
  }
  try {
    let k = 0
    for (const items of sizes.scale) {
      const table = await newTable()
      // 8 BatchWriteItems in flight: DynamoDB Local's best write rate here (NOTES §5); 1M items take ~3 minutes.
      await fill(client, table, items, undefined, 8)
      await Promise.all([0, 1, 2, 3].map(async (s) => await rawScan(client, table, s, 4)))
      points.scale.push({ items, ...pair('snapshot', table, items, k++) })
      // The 1M-item table would otherwise stay in DynamoDB Local's memory for the rest of the run.
      await client.send(new DeleteTableCommand({ TableName: table }))
    }
    for (const [bytes, items] of sizes.itemSize) {
      const table = await newTable()
      await fill(client, table, items, sized(bytes))
      points.itemSize.push({ bytes, items, ...pair('snapshot', table, items, k++) })
    }
    for (const records of sizes.cdc) {
      const table = `curve_cdc_${Math.random().toString(36).slice(2, 10)}`
      await createStreamTable(client, table)
      await fillStream(client, table, records)
      points.cdc.push({ records, ...pair('cdc', table, records, k++) })
    }
    for (const [tables, items] of sizes.tables) {
      const names: string[] = []
      for (let i = 0; i < tables; i++) {
        names.push(await newTable())
        await fill(client, names[i] as string, items / tables, undefined, 8)
      }
      points.tables.push({ tables, items, ...pair('tables', names.join(','), items, k++) })
    }
    return points
  } finally {
    client.destroy()
  }
}

let last: CurvePoints | undefined

/** The curve cases of one run: ratio ours/raw for throughput, peak RSS ours vs raw. */
export function curveCases (p: CurvePoints): Array<Omit<CaseResult, 'ratio' | 'rounds'>> {
  const perS = 'items/s (higher is better)'
  const rss = 'MiB peak RSS of the process (lower is better)'
  return [
    ...p.scale.flatMap(({ items, ours, raw }) => [
      { name: `curves.snapshot-${count(items)}`, unit: perS, ours: ours.rate, baseline: raw.rate, baselineName: 'raw parallel Scan, 4 segments' },
      { name: `curves.snapshot-${count(items)}.rss`, unit: rss, ours: ours.rssMiB, baseline: raw.rssMiB, baselineName: 'raw parallel Scan, 4 segments' }
    ]),
    ...p.itemSize.map(({ bytes, items, ours, raw }) => ({ name: `curves.item-${label(bytes)}`, unit: perS, ours: ours.rate, baseline: raw.rate, baselineName: `raw parallel Scan, ${items} items`, note: `peak RSS ${Math.round(ours.rssMiB)} vs ${Math.round(raw.rssMiB)} MiB` })),
    ...p.cdc.map(({ records, ours, raw }) => ({ name: `curves.cdc-${count(records)}`, unit: 'records/s (higher is better)', ours: ours.rate, baseline: raw.rate, baselineName: 'raw GetRecords loop', note: `peak RSS ${Math.round(ours.rssMiB)} vs ${Math.round(raw.rssMiB)} MiB` })),
    ...p.tables.map(({ tables, items, ours, raw }) => ({ name: `curves.tables-${tables}`, unit: perS, ours: ours.rate, baseline: raw.rate, baselineName: `each table's raw 4-segment parallel Scan in turn (${items} items in all)`, note: `one many-table source; peak RSS ${Math.round(ours.rssMiB)} vs ${Math.round(raw.rssMiB)} MiB` }))
  ]
}

/** 1M / 100k / 3.2k / 30 (case names and chart categories). */
export function count (n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`
  return String(n)
}

function label (bytes: number): string {
  return bytes >= 1000 ? `${Math.round(bytes / 1000)}KB` : `${bytes}B`
}

/** Writes the SVG charts of the last run into `dir`; returns their file names. */
export function writeCurveCharts (dir: string): string[] {
  if (last === undefined) return []
  const p = last
  const files: Record<string, string> = {
    'curve-snapshot-scale.svg': lineChart({ title: 'Snapshot throughput by table size (300 B items)', xLabel: 'items in the table', yLabel: 'items/s', series: [{ name: 'ours', points: p.scale.map((s) => ({ x: s.items, y: s.ours.rate })) }, { name: 'raw Scan loop', points: p.scale.map((s) => ({ x: s.items, y: s.raw.rate })) }] }),
    'curve-snapshot-rss.svg': lineChart({ title: 'Snapshot peak RSS by table size', xLabel: 'items in the table', yLabel: 'MiB peak RSS', series: [{ name: 'ours', points: p.scale.map((s) => ({ x: s.items, y: s.ours.rssMiB })) }, { name: 'raw Scan loop', points: p.scale.map((s) => ({ x: s.items, y: s.raw.rssMiB })) }] }),
    'curve-item-size.svg': barChart({ title: 'Snapshot MB/s by item size', xLabel: 'item size', yLabel: 'MB/s', categories: p.itemSize.map((s) => label(s.bytes)), series: [{ name: 'ours', points: p.itemSize.map((s, i) => ({ x: i, y: s.ours.rate * s.bytes / 1e6 })) }, { name: 'raw Scan loop', points: p.itemSize.map((s, i) => ({ x: i, y: s.raw.rate * s.bytes / 1e6 })) }] }),
    'curve-cdc-backlog.svg': barChart({ title: 'CDC drain of a backlog', xLabel: 'records in the stream', yLabel: 'records/s', categories: p.cdc.map((c) => count(c.records)), series: [{ name: 'ours', points: p.cdc.map((c, i) => ({ x: i, y: c.ours.rate })) }, { name: 'raw GetRecords loop', points: p.cdc.map((c, i) => ({ x: i, y: c.raw.rate })) }] }),
    'curve-tables.svg': barChart({ title: `Snapshot of many tables (${count(p.tables[0]?.items ?? 0)} items in all)`, xLabel: 'tables', yLabel: 'items/s', categories: p.tables.map((c) => String(c.tables)), series: [{ name: 'ours (one source)', points: p.tables.map((c, i) => ({ x: i, y: c.ours.rate })) }, { name: 'raw, per table', points: p.tables.map((c, i) => ({ x: i, y: c.raw.rate })) }] })
  }
  for (const [name, svg] of Object.entries(files)) writeFileSync(path.join(dir, name), svg)
  return Object.keys(files)
}

/** Measured once per run (heavy): the first round only. */
export const curvesBenchGroup: BenchGroup = onceGroup('curves', async (endpoint, quick) => { last = await runCurves(endpoint, quick); return curveCases(last) })

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] !== undefined) {
  const [mode, endpoint, table, n] = process.argv.slice(2) as [Mode, string, string, string]
  process.stdout.write(JSON.stringify(await child(mode, endpoint, table, Number(n))) + '\n')
}
