import t from 'tap'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createSource } from '../../../../src/readable/source.js'
import { MemoryCheckpointStore, type CheckpointStore } from '../../../../src/checkpoint/stores.js'
import type { SourceCheckpoint } from '../../../../src/checkpoint/document.js'
import type { OpenCDCRecord, StructuredData } from '../../../../src/model/record.js'
import { collect, loadItems } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)
const PAGE = 500
const SEGMENTS = 4

/** A memory store that also remembers, for each save, the document and which records had been acknowledged. */
class RecordingStore implements CheckpointStore<SourceCheckpoint> {
  saves: Array<{ doc: SourceCheckpoint, acked: Set<string> }> = []
  constructor (readonly acked: Set<string>) {}
  async load (): Promise<SourceCheckpoint | undefined> { return this.saves.at(-1)?.doc }
  async save (doc: SourceCheckpoint): Promise<void> { this.saves.push({ doc: structuredClone(doc), acked: new Set(this.acked) }) }
  async clear (): Promise<void> { this.saves = [] }
}

const idOf = (record: OpenCDCRecord): string => (record.key as StructuredData).id as string

t.test('resuming from a checkpoint written mid-snapshot yields every item at least once and re-reads at most one page per segment', async (t) => {
  const table = await dynamo.createTable()
  const all = Array.from({ length: 10_000 }, (_, i) => ({ id: { S: `k${i}` }, v: { N: String(i) }, pad: { S: 'x'.repeat(100) } }))
  await loadItems(dynamo.client, table, all)

  const acked = new Set<string>()
  const store = new RecordingStore(acked)
  const first = createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: SEGMENTS, snapshotPageSize: PAGE, snapshotOnly: true, checkpointStore: store, checkpointInterval: 0, highWaterMark: 100 })
  for await (const record of first) {
    first.ack(record as OpenCDCRecord)
    acked.add(idOf(record as OpenCDCRecord))
    if (acked.size === 5_000) break
  }
  const mid = store.saves.find((s) => s.doc.snapshot?.done === false && s.acked.size >= 3_000)
  t.ok(mid !== undefined, 'a checkpoint was saved mid-snapshot')
  const { doc, acked: ackedAtSave } = mid as { doc: SourceCheckpoint, acked: Set<string> }
  t.equal(doc.snapshot?.totalSegments, SEGMENTS)
  t.ok(ackedAtSave.size >= 3_000 && ackedAtSave.size <= 5_000, `the checkpoint covers part of the table (${ackedAtSave.size} acknowledged)`)

  const resumed = new MemoryCheckpointStore<SourceCheckpoint>()
  await resumed.save(doc)
  const second = await collect(createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: SEGMENTS, snapshotPageSize: PAGE, snapshotOnly: true, checkpointStore: resumed }))
  const again = new Set(second.map(idOf))
  t.equal(again.size, second.length, 'the resumed run emits each item once')
  const missing = all.map((item) => item.id.S).filter((id) => !ackedAtSave.has(id) && !again.has(id))
  t.same(missing, [], 'every item was acknowledged before the checkpoint or emitted after resuming')
  const reread = [...again].filter((id) => ackedAtSave.has(id)).length
  t.ok(reread <= SEGMENTS * PAGE, `re-read ${reread} acknowledged items, at most one page per segment (${SEGMENTS * PAGE})`)
  t.ok(second.length <= 10_000 - ackedAtSave.size + SEGMENTS * PAGE, `the resumed run read ${second.length} items, not the whole table`)
})
