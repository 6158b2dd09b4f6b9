import t from 'tap'
import { once } from 'node:events'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { createSource, type DynamoDBSource } from '../../../src/readable/source.js'
import { MemoryCheckpointStore } from '../../../src/checkpoint/stores.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'

async function take (source: DynamoDBSource, n: number, ack = false): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  for await (const r of source.iterator({ destroyOnReturn: false })) {
    out.push(r as OpenCDCRecord)
    if (ack) source.ack(r as OpenCDCRecord)
    if (out.length === n) break
  }
  return out
}

async function cdcStarted (source: DynamoDBSource): Promise<void> {
  source.resume()
  for (let i = 0; i < 200 && source.phase !== 'cdc'; i++) await new Promise((resolve) => setTimeout(resolve, 25))
  source.pause()
}

const ids = (rs: OpenCDCRecord[]): string[] => rs.map((r) => `${r.operation}:${(r.key as { id: string }).id}`)

t.test('createSource phases', async (t) => {
  const ddb = await useDynamo(t)
  const put = async (table: string, id: string): Promise<void> => { await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } })) }

  t.test('skipSnapshot emits only changes made after the start', async (t) => {
    const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
    await put(table, 'before')
    const source = createSource({ table, endpoint: ddb.endpoint, skipSnapshot: true, recordsPollingPeriod: 100 })
    await cdcStarted(source)
    await put(table, 'after1')
    await put(table, 'after2')
    t.same(ids(await take(source, 2)), ['create:after1', 'create:after2'])
    source.destroy()
  })

  t.test('a snapshot then changes, and a restart after the snapshot continues with changes only', async (t) => {
    const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
    await put(table, 'a')
    await put(table, 'b')
    const checkpointStore = new MemoryCheckpointStore()
    const first = createSource({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100, checkpointStore, checkpointInterval: 0 })
    const snap = await take(first, 2, true)
    t.same(ids(snap).sort(), ['snapshot:a', 'snapshot:b'])
    await cdcStarted(first)
    await put(table, 'c')
    t.same(ids(await take(first, 1, true)), ['create:c'])
    first.destroy()
    await once(first, 'close')
    const saved = await checkpointStore.load() as { snapshot: { done: boolean }, streamArn: string, shards: Record<string, { after?: string }> }
    t.equal(saved.snapshot.done, true)
    t.match(saved.streamArn, /^arn:/)
    await put(table, 'd')
    const second = createSource({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100, checkpointStore })
    t.same(ids(await take(second, 1)), ['create:d'], 'no snapshot again, no change twice')
    second.destroy()
  })

  t.test('an eventually consistent snapshot starts handoffSettle after the stream is anchored', async (t) => {
    const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
    await put(table, 'a')
    const t0 = Date.now()
    const source = createSource({ table, endpoint: ddb.endpoint, handoffSettle: '1500ms' })
    t.same(ids(await take(source, 1)), ['snapshot:a'])
    t.ok(Date.now() - t0 >= 1500, `first record after ${Date.now() - t0} ms`)
    source.destroy()
  })

  t.test('a checkpoint from a replaced stream fails by default and re-snapshots with onTrimmed: resnapshot', async (t) => {
    const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
    await put(table, 'a')
    const stale = { v: 1, table, snapshot: { totalSegments: 1, done: true, segments: [{ done: true }] }, streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/x/stream/old', shards: {} }
    const failing = new MemoryCheckpointStore()
    await failing.save(stale)
    const source = createSource({ table, endpoint: ddb.endpoint, checkpointStore: failing })
    source.resume()
    const [err] = await once(source, 'error') as [{ code: string }]
    t.equal(err.code, 'ERR_DDB_STREAM_CHANGED')

    const store = new MemoryCheckpointStore()
    await store.save(stale)
    const again = createSource({ table, endpoint: ddb.endpoint, checkpointStore: store, onTrimmed: 'resnapshot', recordsPollingPeriod: 100 })
    t.same(ids(await take(again, 1)), ['snapshot:a'], 'the table is read again from the start')
    again.destroy()
  })
})
