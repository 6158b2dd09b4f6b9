import t from 'tap'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { createSource } from '../../../src/readable/source.js'
import { createChangeStream } from '../../../src/readable/cdc/change-stream.js'
import { MemoryCheckpointStore } from '../../../src/checkpoint/stores.js'
import type { OpenCDCError } from '../../../src/errors/index.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { loadItems } from './snapshot/snapshot.fixtures.js'

const dynamo = await useDynamo(t)

/** Resolves with the first warning of the given code (bounded wait, so a missing warning fails instead of hanging). */
function warningOf (stream: NodeJS.EventEmitter, code: string, warnings: OpenCDCError[]): Promise<OpenCDCError> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no ${code} warning within 60 s; got ${warnings.map((w) => w.code).join(', ')}`)) }, 60_000)
    stream.on('warning', (w: OpenCDCError) => {
      warnings.push(w)
      if (w.code === code) { clearTimeout(timer); resolve(w) }
    })
  })
}

t.test('a snapshot whose consumer never acknowledges pauses at maxUnacked and says so once, naming the limit and the way out', async (t) => {
  const table = await dynamo.createTable({ hash: ['pk', 'S'] })
  await loadItems(dynamo.client, table, Array.from({ length: 300 }, (_, i) => ({ pk: { S: `k${i}` } })))
  const source = createSource({ table, endpoint: dynamo.endpoint, snapshotOnly: true, snapshotPageSize: 10, snapshotSegments: 1, checkpointStore: new MemoryCheckpointStore(), maxUnacked: 50 })
  t.teardown(() => { source.destroy() })
  const warnings: OpenCDCError[] = []
  const warned = warningOf(source, 'ERR_DDB_UNACKED_LIMIT', warnings)
  const read: OpenCDCRecord[] = []
  source.on('data', (r: OpenCDCRecord) => read.push(r))
  const w = await warned
  t.equal(w.message, `source (table ${table}): reading paused: 50 records emitted and not acknowledged (checkpoint.maxUnacked=50); acknowledge each record once it is handled (source.ack(record), or ackOnWrite(source, destination)), or raise checkpoint.maxUnacked`)
  t.ok(read.length >= 50 && read.length < 300, `reading stopped early (${read.length} of 300)`)
  // Acknowledging lets it go on to the end; the warning is not repeated if it pauses again.
  for (const r of read) source.ack(r)
  source.on('data', (r: OpenCDCRecord) => { source.ack(r) })
  await new Promise((resolve) => source.once('end', resolve))
  t.equal(read.length, 300, 'every item once acknowledged')
  t.equal(warnings.filter((x) => x.code === 'ERR_DDB_UNACKED_LIMIT').length, 1, 'said once')
})

t.test('a change stream whose consumer never acknowledges says so when polling pauses at maxUnacked', async (t) => {
  const table = await dynamo.createTable({ hash: ['pk', 'S'], stream: 'NEW_AND_OLD_IMAGES' })
  const stream = createChangeStream({ table, endpoint: dynamo.endpoint, checkpointStore: new MemoryCheckpointStore(), maxUnacked: 3, recordsPollingPeriod: 50 })
  t.teardown(() => { stream.destroy() })
  const warnings: OpenCDCError[] = []
  const warned = warningOf(stream, 'ERR_DDB_UNACKED_LIMIT', warnings)
  await stream.whenStarted()
  for (let i = 0; i < 6; i++) await dynamo.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `k${i}` } } }))
  stream.resume()
  const w = await warned
  t.match(w.message, /^change stream \(table .+\): reading paused: 3 records emitted and not acknowledged \(checkpoint\.maxUnacked=3\)/)
  // More changes wake the pollers while they stay paused: still one warning.
  for (let i = 6; i < 12; i++) await dynamo.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `k${i}` } } }))
  await new Promise((resolve) => setTimeout(resolve, 1000))
  t.equal(warnings.filter((x) => x.code === 'ERR_DDB_UNACKED_LIMIT').length, 1, 'said once')
})
