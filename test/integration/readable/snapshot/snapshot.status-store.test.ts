import t from 'tap'
import { pipeline } from 'node:stream/promises'
import { cli } from '../../../helpers/child.js'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll } from '../../../helpers/universe.js'
import { createSource } from '../../../../src/readable/source.js'
import { ackOnWrite } from '../../../../src/readable/ack.js'
import { createDestination } from '../../../../src/writable/destination.js'
import { DynamoDBCheckpointStore } from '../../../../src/checkpoint/dynamodb.js'
import { loadWorkersStatus } from '../../../../src/readable/snapshot/status-load.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const CKPT = 'worker_checkpoints'
const store = (id: string): DynamoDBCheckpointStore => new DynamoDBCheckpointStore({ client: ddb.client, table: CKPT, id, createTable: true })

/** One library worker of `count`: snapshot its share of `table` into `dest`, its checkpoint in the DynamoDB store. */
async function runWorker (table: string, dest: string, index: number, count: number, prefix: string): Promise<void> {
  const source = createSource({ table, endpoint: ddb.endpoint, snapshotWorker: { index, count }, snapshotSegments: 6, checkpointStore: store(`${prefix}-${index}`) })
  await pipeline(source, ackOnWrite(source, createDestination({ table: dest, endpoint: ddb.endpoint })))
}

t.test('status reads worker checkpoints from a DynamoDBCheckpointStore table: missing and done by item, exit 1 then 0', async (t) => {
  const { table, items, keys } = await loadUniverse(ddb, { key: 'S', count: 90, seed: 1902 })
  const dest = await createUniverseTable(ddb, 'S')
  const args = ['status', '--checkpoint-table', CKPT, '--checkpoint-id', 'orders-{worker}', '--workers', '3']
  await runWorker(table, dest, 0, 3, 'orders')
  await runWorker(table, dest, 2, 3, 'orders')

  const partial = await cli([...args, '--json'], { env })
  t.equal(partial.code, 1, 'worker 1 has not run: the hand-off is refused')
  t.match(partial.stderr, /ERR_DDB_WORKERS_INCOMPLETE|1 of 3 snapshot workers are not done: 1 \(missing\)/)
  const shown = JSON.parse(partial.stdout) as { workers: Array<{ index: number, state: string, source: string, segmentsDone: number, segmentsOwned: number }>, allDone: boolean, totalSegments: number }
  t.same(shown.workers.map((w) => [w.index, w.state, w.source]), [[0, 'done', `${CKPT}/orders-0`], [1, 'missing', `${CKPT}/orders-1`], [2, 'done', `${CKPT}/orders-2`]])
  t.same(shown.workers.map((w) => `${w.segmentsDone}/${w.segmentsOwned}`), ['2/2', '0/0', '2/2'], 'segments 0,3 and 2,5 of 6 done')
  t.equal(shown.totalSegments, 6)

  await runWorker(table, dest, 1, 3, 'orders')
  const all = await cli(args, { env })
  t.equal(all.code, 0, all.stderr)
  t.match(all.stdout, /worker 1\/3: done \(2\/2 segments, started \d{4}-.*worker_checkpoints\/orders-1/)
  t.match(all.stdout, /3 of 3 workers done; earliest start \d{4}-/)
  t.same(diffItems(items, await scanAll(ddb.client, dest), keys), [], 'the three workers together copied every item, types exact')

  const status = await loadWorkersStatus([0, 1, 2].map((i) => ({ source: `orders-${i}`, store: store(`orders-${i}`) })), { table })
  t.equal(status.allDone, true, 'loadWorkersStatus reads the same store')
  t.ok(status.earliestStart !== undefined && status.workers.every((w) => w.startedAt !== undefined && Date.parse(w.startedAt) >= Date.parse(status.earliestStart as string)), 'the earliest start is the minimum of the workers\' starts')
})

t.test('status refuses a checkpoint item of another table, and mixed file/table flags', async (t) => {
  const a = await loadUniverse(ddb, { key: 'S', count: 10, seed: 1903 })
  const b = await loadUniverse(ddb, { key: 'S', count: 10, seed: 1904 })
  const dest = await createUniverseTable(ddb, 'S')
  await runWorker(a.table, dest, 0, 2, 'mixed')
  await runWorker(b.table, dest, 1, 2, 'mixed')
  const r = await cli(['status', '--checkpoint-table', CKPT, '--checkpoint-id', 'mixed-{worker}', '--workers', '2'], { env })
  t.equal(r.code, 1)
  t.match(r.stderr, /ERR_DDB_WORKER_MISMATCH|belong to different tables/)
  await t.rejects(loadWorkersStatus([{ source: 'mixed-0', store: store('mixed-0') }], { table: b.table }), { code: 'ERR_DDB_CHECKPOINT_MISMATCH' }, 'an expected table is checked')
  const both = await cli(['status', '--checkpoint', 'x-{worker}.json', '--checkpoint-table', CKPT, '--checkpoint-id', 'a-{worker}', '--workers', '2'], { env })
  t.equal(both.code, 2)
  t.match(both.stderr, /either --checkpoint \(files\) or --checkpoint-table/)
  const noId = await cli(['status', '--checkpoint-table', CKPT, '--workers', '2'], { env })
  t.equal(noId.code, 2)
  t.match(noId.stderr, /go together/)
})
