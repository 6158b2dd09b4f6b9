import t from 'tap'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createDestination } from '../../src/writable/destination.js'
import { isOpenCDCError } from '../../src/errors/index.js'
import type { OpenCDCRecord } from '../../src/model/record.js'
import { useDynamo } from '../helpers/dynamo.js'
import { report } from '../helpers/report.js'
import { useFaultProxy, type FaultRule } from '../helpers/fault-proxy.js'
import { describeDiff, diffStates, recordId, scanTable } from '../helpers/table-state.js'
import { makeCreates, makeWorkload } from '../helpers/workload.js'

const dynamo = await useDynamo(t)

const KINDS = ['throughputExceeded', 'throttling', 'unprocessed', 'http500', 'http503', 'reset', 'lostResponse', 'slow'] as const

// Each kind once at a fixed request, so every run sees every kind; then seeded random faults on top.
const EVERY_FAULT: FaultRule[] = [
  ...KINDS.map((kind, i): FaultRule => ({ kind, operations: ['BatchWriteItem'], after: 2 + 2 * i, times: 1, delayMs: 150 })),
  { kind: 'throughputExceeded', operations: ['BatchWriteItem'], probability: 0.05 },
  { kind: 'throttling', operations: ['BatchWriteItem'], probability: 0.05 },
  { kind: 'unprocessed', probability: 0.2, fraction: 0.5 },
  { kind: 'http500', operations: ['BatchWriteItem'], probability: 0.03 },
  { kind: 'http503', operations: ['BatchWriteItem'], probability: 0.03 },
  { kind: 'reset', operations: ['BatchWriteItem'], probability: 0.03 },
  { kind: 'lostResponse', operations: ['BatchWriteItem'], probability: 0.03 },
  { kind: 'slow', operations: ['BatchWriteItem'], probability: 0.03, delayMs: 150 }
]

for (const seed of [1, 2, 3]) {
  t.test(`leaves the table exactly equal to the input under throttles, UnprocessedItems, 5xx, resets and slow calls (seed ${seed})`, async (t) => {
    const table = await dynamo.createTable()
    const proxy = await useFaultProxy(t, dynamo.endpoint, EVERY_FAULT, seed)
    const work = makeWorkload(seed, 1500, 400)
    const dest = createDestination({ table, endpoint: proxy.endpoint, maxAttempts: 1, maxRetries: 30, retryBaseDelay: 5, retryMaxDelay: 100 })
    await pipeline(Readable.from(work.records), dest)
    const diff = diffStates(work.expected, await scanTable(dynamo.client, table))
    t.same(diff, { missing: [], extra: [], different: [], compared: work.expected.size }, describeDiff(diff))
    for (const kind of KINDS) {
      t.ok((proxy.injected[kind] ?? 0) > 0, `${kind} injected ${proxy.injected[kind] ?? 0} time(s)`)
    }
    report(t, `destination, seed ${seed}: ${work.records.length} records, ${diff.compared} items compared, lost ${diff.missing.length + diff.different.length}, faults ${JSON.stringify(proxy.injected)}, items held back ${proxy.unprocessedItems}`)
  })
}

t.test('a 503 and a reset on the DescribeTable at start are ridden through with the default SDK retries', async (t) => {
  const table = await dynamo.createTable()
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'http503', operations: ['DescribeTable'], times: 1 }, { kind: 'reset', operations: ['DescribeTable'], times: 1 }], 4)
  const records = makeCreates(60, 's')
  await pipeline(Readable.from(records), createDestination({ table, endpoint: proxy.endpoint }))
  t.equal((await scanTable(dynamo.client, table)).size, 60)
  t.same(proxy.injected, { http503: 1, reset: 1 })
})

t.test('a DescribeTable that fails more often than the SDK retries is retried by the destination before any write', async (t) => {
  const table = await dynamo.createTable()
  // The SDK client makes 3 attempts per call; 5 throttles in a row need the destination's own retries.
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'throttling', operations: ['DescribeTable'], times: 5 }], 5)
  const records = makeCreates(40, 'd')
  await pipeline(Readable.from(records), createDestination({ table, endpoint: proxy.endpoint }))
  t.equal((await scanTable(dynamo.client, table)).size, 40)
  t.same(proxy.injected, { throttling: 5 })
})

interface Outcome { error: unknown, acked: Set<string>, failedWrites: Set<string> }

/** Writes every record corked into one round and records which writes were acknowledged and which failed. */
async function writeAll (dest: ReturnType<typeof createDestination>, records: OpenCDCRecord[]): Promise<Outcome> {
  const acked = new Set<string>()
  const failedWrites = new Set<string>()
  const done = new Promise<unknown>((resolve) => {
    dest.on('error', resolve)
    dest.on('finish', () => resolve(undefined))
  })
  dest.cork()
  for (const r of records) {
    dest.write(r, (err) => { (err == null ? acked : failedWrites).add(recordId(r)) })
  }
  dest.uncork()
  dest.end()
  const error = await done
  await new Promise((resolve) => setImmediate(resolve))
  return { error, acked, failedWrites }
}

t.test('a throttle that outlasts the retry budget destroys the stream with an error naming every unwritten record', async (t) => {
  const table = await dynamo.createTable()
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'throttling', operations: ['BatchWriteItem'], after: 2 }], 9)
  const records = makeCreates(300, 'u')
  const dest = createDestination({ table, endpoint: proxy.endpoint, maxAttempts: 1, maxRetries: 3, retryBaseDelay: 1, retryMaxDelay: 5, concurrency: 1, adaptiveConcurrency: false })
  const { error, acked, failedWrites } = await writeAll(dest, records)
  t.ok(isOpenCDCError(error), `fails with an OpenCDCError: ${String(error)}`)
  const err = error as { code: string, message: string, details: { records: Array<{ position?: string }>, notAttempted: Array<{ position?: string }> } }
  t.match(err.message, /not written/)
  t.match(err.message, /ThrottlingException|gave up/)
  const named = new Set([...err.details.records, ...err.details.notAttempted].map((x) => x.position))
  const inTable = await scanTable(dynamo.client, table)
  t.equal(inTable.size, 50, 'the two batches before the throttle were written')
  for (const r of records) {
    const id = recordId(r)
    const position = r.position.toString()
    if (inTable.has(id)) continue
    t.ok(named.has(position) || failedWrites.has(id), `unwritten ${id} is named in the error or its write failed`)
    if (!named.has(position) && !failedWrites.has(id)) break
  }
  for (const id of acked) t.ok(inTable.has(id), `acknowledged ${id} is in the table`)
  const idAt = new Map(records.map((r) => [r.position.toString(), recordId(r)]))
  t.same([...named].filter((p) => inTable.has(idAt.get(p ?? '') ?? '')), [], 'no record is named that was written')
  t.ok(proxy.injected.throttling >= 4, `throttled ${proxy.injected.throttling} times`)
  report(t, `destination, budget exhausted: records ${records.length}, written ${inTable.size}, named in the error ${named.size}, write callbacks failed ${failedWrites.size}`)
})

t.test('items held back in UnprocessedItems past the retry budget are named in the error, and only those are missing', async (t) => {
  const table = await dynamo.createTable()
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'unprocessed', fraction: 0.3 }], 11)
  const records = makeCreates(100, 'p')
  const dest = createDestination({ table, endpoint: proxy.endpoint, maxAttempts: 1, maxRetries: 0, retryBaseDelay: 1, concurrency: 1, adaptiveConcurrency: false })
  const { error, acked } = await writeAll(dest, records)
  const err = error as { code: string, details: { records: Array<{ position?: string }>, notAttempted: Array<{ position?: string }> } }
  t.ok(isOpenCDCError(error), `fails with an OpenCDCError: ${String(error)}`)
  const named = new Set([...err.details.records, ...err.details.notAttempted].map((x) => x.position))
  const inTable = await scanTable(dynamo.client, table)
  const missing = records.filter((r) => !inTable.has(recordId(r))).map((r) => r.position.toString())
  t.ok(missing.length > 0)
  t.same(missing.filter((p) => !named.has(p)), [], 'every missing record is named')
  const idAt = new Map(records.map((r) => [r.position.toString(), recordId(r)]))
  t.same([...named].filter((p) => inTable.has(idAt.get(p ?? '') ?? '')), [], 'no record is named that was written')
  for (const id of acked) t.ok(inTable.has(id))
  t.ok(proxy.unprocessedItems > 0)
})

t.test('with a dead letter handler, records that exhaust the budget go there and the rest is written: nothing lost', async (t) => {
  const table = await dynamo.createTable()
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'http503', operations: ['BatchWriteItem'], probability: 0.5 }], 13)
  const records = makeCreates(400, 'd')
  const dead: Array<{ record: OpenCDCRecord, error: Error }> = []
  const dest = createDestination({ table, endpoint: proxy.endpoint, maxAttempts: 1, maxRetries: 1, retryBaseDelay: 1, retryMaxDelay: 2, deadLetter: (record: OpenCDCRecord, error: Error) => { dead.push({ record, error }) } })
  await pipeline(Readable.from(records), dest)
  const inTable = await scanTable(dynamo.client, table)
  t.ok(dead.length > 0, `${dead.length} record(s) dead-lettered`)
  const deadIds = new Set(dead.map((d) => recordId(d.record)))
  for (const r of records) t.ok(inTable.has(recordId(r)) !== deadIds.has(recordId(r)), `${recordId(r)} is either written or dead-lettered`)
  for (const d of dead) t.match(d.error.message, /ServiceUnavailable|gave up/)
  report(t, `destination, dead letter: records ${records.length}, written ${inTable.size}, dead-lettered ${dead.length}, 503s ${proxy.injected.http503}`)
})

t.test('a non-retryable AWS error fails at once with the records of the rejected batch named', async (t) => {
  const table = await dynamo.createTable()
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'error', operations: ['BatchWriteItem'], type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message: 'not allowed to write' }], 15)
  const records = makeCreates(30, 'n')
  const dest = createDestination({ table, endpoint: proxy.endpoint, maxAttempts: 1, maxRetries: 10, concurrency: 1, adaptiveConcurrency: false })
  const { error } = await writeAll(dest, records)
  t.ok(isOpenCDCError(error))
  t.match((error as Error).message, /not allowed to write/)
  t.equal(proxy.injected.AccessDeniedException, 1, 'not retried')
  t.equal((await scanTable(dynamo.client, table)).size, 0)
})
