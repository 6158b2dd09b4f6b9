import t from 'tap'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { inspect } from 'node:util'
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import * as api from '../../../src/index.js'
import { ackOnWrite, createChangeStream, createDestination, createSource, MemoryCheckpointStore, type OpenCDCRecord } from '../../../src/index.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { ACCESS_KEY, SECRET, TOKEN, assertNoSecret } from '../../helpers/secrets.js'

const dynamo = await useDynamo(t)
const idOf = (r: OpenCDCRecord): string => (r.key as { id: string }).id

t.test('pipeline(changes, ackOnWrite(changes, sink)) works with createChangeStream: written, acknowledged, resumed after', async (t) => {
  const table = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const target = await dynamo.createTable()
  const put = async (id: string): Promise<void> => { await dynamo.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, n: { N: '7' } } })) }
  for (const id of ['a', 'b', 'c']) await put(id)
  const store = new MemoryCheckpointStore()
  const changes = createChangeStream({ table, endpoint: dynamo.endpoint, startFrom: 'trim_horizon', checkpointStore: store, recordsPollingPeriod: 100 })
  // take(3) ends the pipeline after three changes (and destroys the change stream, which saves its checkpoint).
  await pipeline(changes.take(3), ackOnWrite(changes, createDestination({ table: target, endpoint: dynamo.endpoint })))
  const written = await dynamo.client.send(new ScanCommand({ TableName: target, ConsistentRead: true }))
  t.same((written.Items ?? []).map((i) => i.id?.S).sort(), ['a', 'b', 'c'], 'the three changes were written')
  await put('d')
  const again = createChangeStream({ table, endpoint: dynamo.endpoint, checkpointStore: store, recordsPollingPeriod: 100 })
  const [first] = await again.take(1).toArray() as OpenCDCRecord[]
  t.equal(idOf(first as OpenCDCRecord), 'd', 'every acknowledged change is behind the checkpoint: the next run starts at d')
})

t.test('ChangeStream.ack takes a record or its position; flushCheckpoint saves now', async (t) => {
  const table = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await dynamo.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'x' } } }))
  const saved: unknown[] = []
  const store = new MemoryCheckpointStore()
  const save = store.save.bind(store)
  store.save = async (doc) => { saved.push(structuredClone(doc)); await save(doc) }
  const changes = createChangeStream({ table, endpoint: dynamo.endpoint, startFrom: 'trim_horizon', checkpointStore: store, checkpointInterval: 3_600_000, recordsPollingPeriod: 100 })
  const [record] = await changes.iterator({ destroyOnReturn: false }).next().then((r) => [r.value as OpenCDCRecord])
  changes.ack((record as OpenCDCRecord).position)
  t.doesNotThrow(() => { changes.ack(record as OpenCDCRecord) }, 'acking twice (record after position) is harmless')
  const before = saved.length
  await changes.flushCheckpoint()
  t.equal(saved.length, before + 1, 'flushCheckpoint wrote the checkpoint within an hour-long interval')
  const shards = Object.values((saved.at(-1) as { shards: Record<string, { acked?: string }> }).shards)
  t.ok(shards.some((s) => JSON.stringify(s).includes((record as OpenCDCRecord).metadata['dynamodb.sequenceNumber'] as string)), 'the saved shard progress is at the acknowledged record')
  changes.destroy()
})

t.test('every factory takes Node\'s signal: aborting destroys the stream with an AbortError', async (t) => {
  const table = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const make = {
    createSource: (signal: AbortSignal) => createSource({ table, endpoint: dynamo.endpoint, signal }),
    createChangeStream: (signal: AbortSignal) => createChangeStream({ table, endpoint: dynamo.endpoint, signal }),
    createDestination: (signal: AbortSignal) => createDestination({ table, endpoint: dynamo.endpoint, signal })
  }
  for (const [name, create] of Object.entries(make)) {
    const ac = new AbortController()
    const stream = create(ac.signal)
    const failed = once(stream, 'error')
    setTimeout(() => { ac.abort() }, 50)
    const [err] = await failed as [Error]
    t.equal(err.name, 'AbortError', `${name}: aborted with an AbortError`)
    t.equal(stream.destroyed, true, `${name}: destroyed`)
    t.throws(() => (create as (s: unknown) => unknown)('nope'), { code: 'ERR_DDB_INVALID_OPTION', message: /signal: expected an AbortSignal/ }, `${name}: a signal that is not an AbortSignal is refused`)
  }
})

t.test('every exported class keeps static credentials out of inspect and JSON', async (t) => {
  const creds = { endpoint: dynamo.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN }
  const table = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const client = api.createDynamoDBClient(creds)
  t.teardown(() => { client.destroy() })
  // How each class is constructed; the walk below fails on a new exported class until it is added here.
  const build: Record<string, () => unknown> = {
    DynamoDBSource: () => new api.DynamoDBSource({ table, ...creds }),
    TablesSource: () => new api.TablesSource({ tables: [table], ...creds }),
    ChangeStream: () => new api.ChangeStream({ table, ...creds }),
    DynamoDBDestination: () => new api.DynamoDBDestination({ table, ...creds }),
    DynamoDBCheckpointStore: () => new api.DynamoDBCheckpointStore({ client, table: 'checkpoints', id: 'x' }),
    FileCheckpointStore: () => new api.FileCheckpointStore(t.testdir({}) + '/c.json'),
    MemoryCheckpointStore: () => new api.MemoryCheckpointStore(),
    InMemorySchemaRegistry: () => new api.InMemorySchemaRegistry(),
    ConfluentSchemaRegistry: () => new api.ConfluentSchemaRegistry({ url: 'http://localhost:1', headers: { Authorization: `Bearer ${SECRET}` } }),
    OpenCDCError: () => new api.OpenCDCError('ERR_DDB_INVALID_OPTION', 'x', { option: 'aws.secretAccessKey' }),
    PreciseNumber: () => new api.PreciseNumber('1')
  }
  const classes = Object.entries(api).filter(([, v]) => typeof v === 'function' && /^class /.test(Function.prototype.toString.call(v))).map(([k]) => k)
  t.same(classes.filter((k) => build[k] === undefined), [], 'every exported class is walked')
  for (const name of classes) {
    const x = (build[name] as () => unknown)() as { options?: unknown, destroy?: () => void, on?: (e: string, f: () => void) => void }
    x.on?.('error', () => {})
    assertNoSecret(t, `inspect(${name})`, inspect(x, { depth: 6 }))
    assertNoSecret(t, `JSON.stringify(${name})`, safeJSON(x))
    if ('options' in (x as object)) assertNoSecret(t, `JSON.stringify(${name}.options)`, safeJSON(x.options))
    x.destroy?.()
  }
  const stream = createChangeStream({ table, ...creds })
  stream.on('error', () => {})
  t.equal(stream.options.secretAccessKey, SECRET, 'the options still carry the secret for the clients')
  stream.destroy()
})

function safeJSON (x: unknown): string {
  const seen = new WeakSet()
  return JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'bigint') return String(v)
    if (typeof v === 'object' && v !== null) { if (seen.has(v)) return '[circular]'; seen.add(v) }
    return v
  }) ?? ''
}
