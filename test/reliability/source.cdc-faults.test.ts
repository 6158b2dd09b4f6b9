import t from 'tap'
import { createSource } from '../../src/readable/source.js'
import { isOpenCDCError } from '../../src/errors/index.js'
import { MemoryCheckpointStore } from '../../src/checkpoint/stores.js'
import type { SourceCheckpoint } from '../../src/checkpoint/document.js'
import type { OpenCDCRecord } from '../../src/model/record.js'
import { useDynamo } from '../helpers/dynamo.js'
import { report } from '../helpers/report.js'
import { useFaultProxy } from '../helpers/fault-proxy.js'
import { fillTable, startMutator } from '../helpers/mutator.js'
import { applyRecord, describeDiff, diffStates, recordId, scanTable, settle, type Item } from '../helpers/table-state.js'

const dynamo = await useDynamo(t)

t.test('snapshot + CDC with writers mutating the table and GetRecords faults (expired iterators, 5xx, resets) reproduce the table exactly', async (t) => {
  const table = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await fillTable(dynamo.client, table, 500, 23)
  const proxy = await useFaultProxy(t, dynamo.endpoint, [
    { kind: 'expiredIterator', probability: 0.15 },
    { kind: 'http500', operations: ['GetRecords', 'Scan'], probability: 0.05 },
    { kind: 'reset', operations: ['GetRecords', 'Scan', 'DescribeStream', 'GetShardIterator'], probability: 0.05 },
    { kind: 'throttling', operations: ['GetShardIterator', 'DescribeStream'], probability: 0.05 },
    { kind: 'slow', operations: ['Scan'], probability: 0.3, delayMs: 50 }
  ], 23)
  const source = createSource({ table, endpoint: proxy.endpoint, maxAttempts: 1, snapshotSegments: 2, snapshotPageSize: 25, recordsPollingPeriod: 50 })
  const mutator = startMutator(dynamo.client, table, { seed: 23, keySpace: 600, pauseMs: 5 })
  const state = new Map<string, Item>()
  let records = 0
  let failed: unknown
  source.on('data', (r: OpenCDCRecord) => { applyRecord(state, r); records++ })
  source.on('error', (err) => { failed = err })
  await new Promise((resolve) => setTimeout(resolve, 3000))
  await mutator.stop()
  const diff = await settle(async () => diffStates(await scanTable(dynamo.client, table), state), () => failed !== undefined, 30_000)
  source.destroy()
  t.equal(failed, undefined, 'the source never failed')
  t.same(diff, { missing: [], extra: [], different: [], compared: diff.compared }, describeDiff(diff))
  t.ok((proxy.injected.expiredIterator ?? 0) > 0, `expired iterators injected ${proxy.injected.expiredIterator ?? 0} time(s)`)
  report(t, `source snapshot + CDC: ${records} records, ${mutator.writes} concurrent writes, ${diff.compared} items compared, lost ${diff.missing.length + diff.different.length}, faults ${JSON.stringify(proxy.injected)}`)
})

t.test('TrimmedDataAccessException on GetRecords fails the stream with a data-loss error, never a silent skip', async (t) => {
  const table = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await fillTable(dynamo.client, table, 50, 24)
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'trimmedDataAccess', after: 1 }], 24)
  const source = createSource({ table, endpoint: proxy.endpoint, maxAttempts: 1, recordsPollingPeriod: 50 })
  const mutator = startMutator(dynamo.client, table, { seed: 24, keySpace: 60, pauseMs: 20 })
  const timer = setTimeout(() => source.destroy(new Error('no error within 30 s: the trimmed shard was skipped or retried forever')), 30_000)
  const err = await new Promise<unknown>((resolve) => {
    source.on('error', resolve)
    source.on('end', () => resolve(undefined))
    source.resume()
  })
  clearTimeout(timer)
  await mutator.stop()
  t.ok(isOpenCDCError(err, 'ERR_DDB_STREAM_DATA_LOSS'), `fails with ERR_DDB_STREAM_DATA_LOSS: ${String(err)}`)
  t.match((err as Error).message, /lost|trim/i)
  t.ok(proxy.injected.trimmedDataAccess >= 1)
})

t.test('with onTrimmed: resnapshot, a loss found while running says to restart, and the restart snapshots the table again', async (t) => {
  const table = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await fillTable(dynamo.client, table, 40, 25)
  const store = new MemoryCheckpointStore<SourceCheckpoint>()
  const proxy = await useFaultProxy(t, dynamo.endpoint, [], 25)
  const first = createSource({ table, endpoint: proxy.endpoint, maxAttempts: 1, recordsPollingPeriod: 50, checkpointStore: store, checkpointInterval: 0, onTrimmed: 'resnapshot' })
  const mutator = startMutator(dynamo.client, table, { seed: 25, keySpace: 40, pauseMs: 20 })
  const err = await new Promise<unknown>((resolve) => {
    first.on('error', resolve)
    first.on('end', () => resolve(undefined))
    first.on('data', (r: OpenCDCRecord) => {
      first.ack(r)
      // Once changes flow (the snapshot is complete), the stream records the reader needs are trimmed.
      if (r.operation !== 'snapshot' && proxy.rules.length === 0) proxy.rules = [{ kind: 'trimmedDataAccess', operations: ['GetRecords'] }]
    })
  })
  await mutator.stop()
  if (!first.closed) await new Promise((resolve) => first.once('close', resolve)) // the last checkpoint save is done by then
  t.ok(isOpenCDCError(err, 'ERR_DDB_STREAM_DATA_LOSS'), String(err))
  t.match((err as Error).message, /start the source again with the same checkpoint/)
  t.notMatch((err as Error).message, /set onTrimmed/, 'does not tell to set what is already set')

  // AWS refuses an iterator after a trimmed sequence number: the restart meets the loss at start-up and snapshots again.
  t.equal((await store.load())?.snapshot?.done, true, 'the first run had finished its snapshot')
  const before = proxy.injected.trimmedDataAccess ?? 0
  proxy.rules = [{ kind: 'trimmedDataAccess', operations: ['GetShardIterator'], match: (req) => String(req.body.ShardIteratorType).endsWith('_SEQUENCE_NUMBER') }]
  const again = createSource({ table, endpoint: proxy.endpoint, maxAttempts: 1, recordsPollingPeriod: 50, checkpointStore: store, onTrimmed: 'resnapshot' })
  const items = (await scanTable(dynamo.client, table)).size
  const seen: OpenCDCRecord[] = []
  for await (const r of again) {
    seen.push(r as OpenCDCRecord)
    if (seen.length === items) break
  }
  t.ok((proxy.injected.trimmedDataAccess ?? 0) > before, 'the restart met the loss at start-up')
  t.ok(seen.every((r) => r.operation === 'snapshot'), 'the restart begins with a full snapshot')
  t.equal(new Set(seen.map(recordId)).size, items, `every one of the ${items} items`)
})
