import t from 'tap'
import { once } from 'node:events'
import { Writable } from 'node:stream'
import { createSource } from '../../../src/readable/source.js'
import { createChangeStream } from '../../../src/readable/cdc/change-stream.js'
import type { StallRecovery, StallReport } from '../../../src/metrics/stall.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { loadItems, richItem } from './snapshot/snapshot.fixtures.js'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'

const dynamo = await useDynamo(t)

/** A consumer that takes one record and never finishes writing it. */
function heldBack (): Writable {
  return new Writable({ objectMode: true, highWaterMark: 1, write () {} })
}

// Generous bound: the stall is expected after 300 ms; this only keeps a broken detector from hanging the file.
// A slow first Scan on a loaded machine may itself be a (real) stall: `until` picks the report the test is about.
async function firstStall (stream: NodeJS.EventEmitter, until: (r: StallReport) => boolean = () => true): Promise<StallReport> {
  const timer = setTimeout(() => { stream.emit('error', new Error('no stall event within 60 s')) }, 60_000)
  try {
    for (;;) {
      const [report] = await once(stream, 'stall') as [StallReport]
      if (until(report)) return report
    }
  } finally {
    clearTimeout(timer)
  }
}

/** Every 'stall' and 'recovered', in order. */
function events (stream: NodeJS.EventEmitter): string[] {
  const seen: string[] = []
  stream.on('stall', () => seen.push('stall'))
  stream.on('recovered', () => seen.push('recovered'))
  return seen
}

t.test('a snapshot held back by its consumer emits one stall event naming the phase, the records waiting and the segments not done', async (t) => {
  const table = await dynamo.createTable({ hash: ['pk', 'S'] })
  await loadItems(dynamo.client, table, Array.from({ length: 200 }, (_, i) => ({ ...richItem(i), pk: { S: `k${i}` } })))
  const source = createSource({ table, endpoint: dynamo.endpoint, snapshotOnly: true, snapshotSegments: 4, snapshotPageSize: 5, highWaterMark: 16, stallTimeout: 300 })
  t.teardown(() => { source.destroy() })
  const seen = events(source)
  source.pipe(heldBack())
  const report = await firstStall(source, (r) => r.waiting > 0)
  t.equal(report.component, `source (table ${table})`)
  t.equal(report.phase, 'snapshot')
  t.ok(report.waiting >= 16, `records waiting in the source's buffer (${report.waiting})`)
  t.ok(report.segments.length > 0 && report.segments.every((s) => s >= 0 && s < 4), `segments not done: ${report.segments.join(', ')}`)
  t.ok(report.idleMs >= 300)
  t.match(report.message, new RegExp(`^source \\(table ${table}\\) stalled: nothing moved for \\d+ms in the snapshot phase; ${report.waiting} records waiting for the consumer to read them; segments? [\\d, ]+ not done$`))
  await new Promise((resolve) => setTimeout(resolve, 1000))
  t.notMatch(seen.join(' '), /stall stall/, `reported once per stall: ${seen.join(' ')}`)
  t.equal(seen.at(-1), 'stall', 'still stalled')
})

t.test('a source whose consumer resumes reading emits recovered', async (t) => {
  const table = await dynamo.createTable({ hash: ['pk', 'S'] })
  await loadItems(dynamo.client, table, Array.from({ length: 60 }, (_, i) => ({ pk: { S: `k${i}` } })))
  const source = createSource({ table, endpoint: dynamo.endpoint, snapshotOnly: true, snapshotPageSize: 5, highWaterMark: 4, stallTimeout: 200 })
  t.teardown(() => { source.destroy() })
  const consumer = heldBack()
  source.pipe(consumer)
  await firstStall(source, (r) => r.waiting > 0)
  const recovered = once(source, 'recovered') as Promise<[StallRecovery]>
  source.unpipe(consumer)
  source.resume()
  const [r] = await recovered
  t.match(r.message, /^source \(table .+\) recovered: moving again after \d+/)
  await once(source, 'end')
})

t.test('a change stream whose records are read but never acknowledged stalls at maxUnacked and says so', async (t) => {
  const table = await dynamo.createTable({ hash: ['pk', 'S'], stream: 'NEW_AND_OLD_IMAGES' })
  const { MemoryCheckpointStore } = await import('../../../src/checkpoint/stores.js')
  const stream = createChangeStream({ table, endpoint: dynamo.endpoint, checkpointStore: new MemoryCheckpointStore(), maxUnacked: 3, recordsPollingPeriod: 50, stallTimeout: 300 })
  t.teardown(() => { stream.destroy() })
  await stream.whenStarted()
  for (let i = 0; i < 6; i++) await dynamo.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `k${i}` } } }))
  stream.resume()
  const report = await firstStall(stream)
  t.equal(report.phase, 'cdc')
  t.ok(report.unacked >= 3, `records not acknowledged: ${report.unacked}`)
  t.match(report.message, /records emitted and not acknowledged.*checkpoint\.maxUnacked=3/)
})
