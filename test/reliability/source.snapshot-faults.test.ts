import t from 'tap'
import { createSource } from '../../src/readable/source.js'
import type { OpenCDCRecord } from '../../src/model/record.js'
import { useDynamo } from '../helpers/dynamo.js'
import { report } from '../helpers/report.js'
import { useFaultProxy, type FaultRule } from '../helpers/fault-proxy.js'
import { fillTable } from '../helpers/mutator.js'
import { applyRecord, describeDiff, diffStates, recordId, scanTable, type Item } from '../helpers/table-state.js'

const dynamo = await useDynamo(t)

const SCAN_KINDS = ['throughputExceeded', 'throttling', 'http500', 'http503', 'reset', 'lostResponse', 'slow'] as const

// Each kind once at a fixed Scan call, so every run sees every kind; then seeded random faults on top.
const SCAN_FAULTS: FaultRule[] = [
  ...SCAN_KINDS.map((kind, i): FaultRule => ({ kind, operations: ['Scan'], after: 1 + 2 * i, times: 1, delayMs: 100 })),
  { kind: 'throughputExceeded', operations: ['Scan'], probability: 0.1 },
  { kind: 'throttling', operations: ['Scan'], probability: 0.05 },
  { kind: 'http500', operations: ['Scan'], probability: 0.05 },
  { kind: 'http503', operations: ['Scan'], probability: 0.05 },
  { kind: 'reset', operations: ['Scan'], probability: 0.05 },
  { kind: 'lostResponse', operations: ['Scan'], probability: 0.03 },
  { kind: 'slow', operations: ['Scan'], probability: 0.05, delayMs: 100 },
  { kind: 'http503', operations: ['DescribeTable'], times: 1 }
]

t.test('a snapshot under Scan throttles, 5xx, resets and slow pages emits every item exactly once', async (t) => {
  const table = await dynamo.createTable()
  await fillTable(dynamo.client, table, 2000, 21)
  const proxy = await useFaultProxy(t, dynamo.endpoint, SCAN_FAULTS, 21)
  const source = createSource({ table, endpoint: proxy.endpoint, maxAttempts: 1, snapshotOnly: true, snapshotSegments: 4, snapshotPageSize: 50, snapshotRetries: 30 })
  const seen = new Map<string, number>()
  const state = new Map<string, Item>()
  const operations = new Set<string>()
  for await (const r of source as AsyncIterable<OpenCDCRecord>) {
    operations.add(r.operation)
    seen.set(recordId(r), (seen.get(recordId(r)) ?? 0) + 1)
    applyRecord(state, r)
  }
  const diff = diffStates(await scanTable(dynamo.client, table), state)
  t.same(diff, { missing: [], extra: [], different: [], compared: 2000 }, describeDiff(diff))
  t.same([...seen.entries()].filter(([, n]) => n > 1), [], 'no item emitted twice')
  t.same([...operations], ['snapshot'])
  for (const kind of SCAN_KINDS) {
    t.ok((proxy.injected[kind] ?? 0) > 0, `${kind} injected ${proxy.injected[kind] ?? 0} time(s)`)
  }
  report(t, `source snapshot: ${diff.compared} items compared, lost ${diff.missing.length + diff.different.length}, faults ${JSON.stringify(proxy.injected)}`)
})

t.test('a Scan error that outlasts the retry budget fails the stream loudly instead of ending the snapshot early', async (t) => {
  const table = await dynamo.createTable()
  await fillTable(dynamo.client, table, 300, 22)
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'http500', operations: ['Scan'], after: 2 }], 22)
  const source = createSource({ table, endpoint: proxy.endpoint, maxAttempts: 1, snapshotOnly: true, snapshotSegments: 1, snapshotPageSize: 50, snapshotRetries: 3 })
  let count = 0
  const err = await (async () => {
    try {
      for await (const _ of source as AsyncIterable<OpenCDCRecord>) count++
    } catch (err) {
      return err
    }
    return undefined
  })()
  t.ok(err instanceof Error, `the stream fails (after ${count} records): ${String(err)}`)
  t.match(String((err as Error)?.message), /InternalServerError|Scan|500/)
  t.ok(count <= 100, 'only the pages before the fault were emitted')
})
