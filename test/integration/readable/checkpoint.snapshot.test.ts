import t from 'tap'
import path from 'node:path'
import { readFile } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { useDynamo } from '../../helpers/dynamo.js'
import { createSource } from '../../../src/readable/source.js'
import { ackOnWrite } from '../../../src/readable/ack.js'
import type { SourceCheckpoint } from '../../../src/checkpoint/document.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'
import { collect, loadItems, sleepMs } from './snapshot/snapshot.fixtures.js'

const dynamo = await useDynamo(t)
const table = await dynamo.createTable()
await loadItems(dynamo.client, table, Array.from({ length: 1_000 }, (_, i) => ({ id: { S: `k${i}` }, v: { N: String(i) } })))
const readDoc = async (file: string): Promise<SourceCheckpoint> => JSON.parse(await readFile(file, 'utf8')) as SourceCheckpoint

t.test('the checkpoint file marks the snapshot complete only once every record is acknowledged', async (t) => {
  const file = path.join(t.testdir(), 'cp.json')
  const source = createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: 3, snapshotPageSize: 100, snapshotOnly: true, checkpoint: file })
  const records = await collect(source)
  t.equal(records.length, 1_000)
  await source.flushCheckpoint()
  let doc = await readDoc(file)
  t.match(doc, { v: 1, table, snapshot: { totalSegments: 3, done: false } }, 'read but not acknowledged: not complete')
  for (const record of records.slice(1)) source.ack(record)
  await source.flushCheckpoint()
  doc = await readDoc(file)
  t.equal(doc.snapshot?.done, false, 'one record unacknowledged: still not complete')
  source.ack(records[0] as OpenCDCRecord)
  await source.flushCheckpoint()
  doc = await readDoc(file)
  t.same(doc.snapshot, { totalSegments: 3, done: true, segments: [{ done: true }, { done: true }, { done: true }] })

  const again = await collect(createSource({ table, endpoint: dynamo.endpoint, snapshotOnly: true, checkpoint: file }))
  t.same(again, [], 'a source resuming from a complete snapshot reads nothing again')
})

t.test('with a checkpoint, reading pauses at maxUnacked until records are acknowledged', async (t) => {
  const source = createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: 2, snapshotPageSize: 100, snapshotOnly: true, checkpoint: path.join(t.testdir(), 'cp.json'), maxUnacked: 250, highWaterMark: 50 })
  const received: OpenCDCRecord[] = []
  source.on('data', (r: OpenCDCRecord) => received.push(r))
  await sleepMs(1_000)
  const stalled = received.length
  t.ok(stalled >= 250 && stalled <= 250 + 2 * 100, `${stalled} records emitted without acknowledgement: maxUnacked plus the pages in flight`)
  await sleepMs(300)
  t.equal(received.length, stalled, 'nothing more until acknowledgements come')
  let ended = false
  source.once('end', () => { ended = true })
  const closed = new Promise((resolve) => source.once('close', resolve))
  const acker = setInterval(() => { for (const r of received.splice(0)) source.ack(r) }, 20)
  await closed
  clearInterval(acker)
  for (const r of received.splice(0)) source.ack(r)
  await source.flushCheckpoint()
  t.ok(ended, 'acknowledging lets the snapshot run to the end')
})

t.test('ackOnWrite acknowledges what a Writable handled, and the checkpoint is complete once pipeline() resolves', async (t) => {
  const file = path.join(t.testdir(), 'cp.json')
  // A long interval: only the save ackOnWrite makes at the end can mark the snapshot complete in time.
  const source = createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: 2, snapshotOnly: true, checkpoint: file, checkpointInterval: '1h', maxUnacked: 100 })
  let written = 0
  const sink = new Writable({ objectMode: true, highWaterMark: 16, write (_r, _e, cb) { written++; setImmediate(cb) } })
  await pipeline(source, ackOnWrite(source, sink))
  t.equal(written, 1_000)
  t.equal((await readDoc(file)).snapshot?.done, true, 'no flushCheckpoint() needed')
})
