// profile.*: where our process spends its time in the snapshot, load and cdc.drain paths. A CPU
// profile (node:inspector, 200 µs sampling) of one run of each; self time grouped by the code it is in.
import { Session } from 'node:inspector/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import { createDynamoDBClient } from '../src/aws/clients.js'
import { createRecord } from '../src/model/record.js'
import { createChangeStream } from '../src/readable/cdc/change-stream.js'
import { createSource } from '../src/readable/source.js'
import { createDestination } from '../src/writable/destination.js'
import { createStreamTable, fill as fillStream } from './cdc.js'
import { onceGroup, type BenchGroup } from './harness.js'
import { fill, rawScan } from './snapshot.js'

export const CATEGORIES = ['decode', 'codec', 'positions', 'acks', 'ours (other)', 'SDK', 'JSON', 'node streams', 'http/net', 'gc', 'idle', 'other'] as const
export type Category = typeof CATEGORIES[number]

export interface ProfileResult {
  case: string
  items: number
  wallMs: number
  cpuMs: number
  /** Percent of the samples in each category. */
  shares: Record<Category, number>
}

interface ProfileNode { id: number, callFrame: { functionName: string, url: string } }

/** The category of a profile node, from the file its function is in. */
export function categorize (fn: string, url: string): Category {
  if (fn === '(idle)') return 'idle'
  if (fn === '(garbage collector)') return 'gc'
  // Our Scan/GetRecords body decode (JSON.parse runs inside it, so V8 mostly counts the parse there too).
  if (/\/src\/aws\/wire-/.test(url)) return 'decode'
  if (/\/src\/model\//.test(url)) return 'codec'
  if (/\/src\/readable\/(snapshot|cdc)\/position/.test(url)) return 'positions'
  if (/\/src\/(checkpoint\/|readable\/ack)/.test(url)) return 'acks'
  if (url.includes('/src/')) return 'ours (other)'
  if (/node_modules\/(@smithy|@aws-sdk|@aws-crypto|fast-xml-parser)\//.test(url)) return 'SDK'
  if (url === '' && (fn === 'parse' || fn === 'stringify')) return 'JSON'
  if (url.startsWith('node:internal/streams') || url.startsWith('node:stream')) return 'node streams'
  if (/^node:(_http|net|internal\/stream_base|internal\/http|http|internal\/net|internal\/dns)/.test(url) || ['writev', 'writeUtf8String', 'writeBuffer', 'onStreamRead', 'utf8Write', 'connect'].includes(fn)) return 'http/net'
  return 'other'
}

async function profiled (session: Session, name: string, items: number, fn: () => Promise<void>): Promise<ProfileResult> {
  await session.post('Profiler.start')
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  await fn()
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(c0)
  const { profile } = await session.post('Profiler.stop') as unknown as { profile: { nodes: ProfileNode[], samples: number[], timeDeltas: number[] } }
  const debug = new Map<string, number>()
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const time = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    // The inspector's own message dispatch (Profiler.start/stop) is not the code under test.
    if (node === undefined || (node.callFrame.functionName === 'dispatch' && node.callFrame.url === '')) return
    const c = categorize(node.callFrame.functionName, node.callFrame.url)
    time[c] += profile.timeDeltas[i] ?? 0
    // BENCH_PROFILE_DEBUG=1 prints what "other" holds.
    if (c === 'other' && process.env.BENCH_PROFILE_DEBUG !== undefined) { const k = `${node.callFrame.functionName} ${node.callFrame.url}`; debug.set(k, (debug.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0)) }
  })
  if (debug.size > 0) process.stderr.write(`${name} other: ${JSON.stringify([...debug].sort((a, b) => b[1] - a[1]).slice(0, 12))}\n`)
  const total = Object.values(time).reduce((a, b) => a + b, 0) || 1
  const shares = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(1000 * time[c] / total) / 10])) as Record<Category, number>
  return { case: name, items, wallMs: Math.round(wallMs), cpuMs: Math.round((cpu.user + cpu.system) / 1000), shares }
}

export async function runProfiles (endpoint: string, quick: boolean): Promise<ProfileResult[]> {
  const client = createDynamoDBClient({ endpoint })
  const session = new Session()
  session.connect()
  const items = quick ? 10_000 : 30_000
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 200 })
    const table = `prof_${Math.random().toString(36).slice(2, 10)}`
    await client.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
    await fill(client, table, items)
    await rawScan(client, table)
    const snapshot = async (): Promise<void> => { for await (const r of createSource({ table, endpoint, snapshotOnly: true, snapshotSegments: 4 })) void r }
    await snapshot()
    const results = [await profiled(session, 'snapshot', items, snapshot)]
    const load = quick ? 3_000 : 10_000
    const records = Array.from({ length: load }, (_, i) => createRecord({ position: String(i), operation: 'create', key: { id: `item-${i}` }, after: { id: `item-${i}`, n: i, s: 'x'.repeat(200), t: i % 2 === 0, l: [i, 'y'] } }))
    const dest = `prof_load_${Math.random().toString(36).slice(2, 10)}`
    await client.send(new CreateTableCommand({ TableName: dest, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
    results.push(await profiled(session, 'load.stream-less', load, async () => { await pipeline(Readable.from(records), createDestination({ table: dest, endpoint })) }))
    const cdcTable = `prof_cdc_${Math.random().toString(36).slice(2, 10)}`
    const backlog = quick ? 3_000 : 10_000
    await createStreamTable(client, cdcTable)
    await fillStream(client, cdcTable, backlog)
    results.push(await profiled(session, 'cdc.drain', backlog, async () => {
      let n = 0
      for await (const r of createChangeStream({ table: cdcTable, endpoint, startFrom: 'trim_horizon' })) { if (r !== undefined && ++n === backlog) break }
    }))
    return results
  } finally {
    session.disconnect()
    client.destroy()
  }
}

let last: ProfileResult[] = []

/** The profiles of the last run. */
export function lastProfiles (): ProfileResult[] { return last }

/** A Markdown table: one row per profiled case, one column per category. */
export function profileTable (results: ProfileResult[]): string {
  if (results.length === 0) return ''
  const lines = [
    `| case | items | wall ms | CPU ms | CPU µs/item | ${CATEGORIES.join(' | ')} |`,
    `|---|---:|---:|---:|---:|${CATEGORIES.map(() => '---:').join('|')}|`,
    ...results.map((r) => `| \`${r.case}\` | ${r.items} | ${r.wallMs} | ${r.cpuMs} | ${(1000 * r.cpuMs / r.items).toFixed(1)} | ${CATEGORIES.map((c) => `${r.shares[c].toFixed(1)}%`).join(' | ')} |`)
  ]
  return lines.join('\n') + '\n'
}

/** Profiled once per run, on its own DynamoDB Local; it yields no ratio cases. */
export const profileBenchGroup: BenchGroup = onceGroup('profile', async (endpoint, quick) => { last = await runProfiles(endpoint, quick); return [] })
