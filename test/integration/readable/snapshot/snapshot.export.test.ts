import t from 'tap'
import { pipeline } from 'node:stream/promises'
import { useDynamo } from '../../../helpers/dynamo.js'
import { fakeExport } from '../../../helpers/fake-export.js'
import { useS3 } from '../../../helpers/s3.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll, type Item } from '../../../helpers/universe.js'
import { tap } from '../../../helpers/universe-path.js'
import { startUniverseWriter, untilEqual } from '../../../helpers/universe-writes.js'
import { decodeInputPosition } from '../../../../src/inputs/position.js'
import { ackOnWrite } from '../../../../src/readable/ack.js'
import { createSource } from '../../../../src/readable/source.js'
import type { SourceInput } from '../../../../src/readable/options.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'
import type { SnapshotProgress } from '../../../../src/readable/snapshot/engine.js'
import { createDestination } from '../../../../src/writable/destination.js'

// Only ExportTableToPointInTime / DescribeExport are faked (DynamoDB Local lacks them; see test/helpers/fake-export.ts
// and the unit test of src/readable/snapshot/export-call.ts). The table, the export files in S3 (s3rver), the records,
// the stream and the destination are real.

const ddb = await useDynamo(t)
const s3 = await useS3(t)
await s3.createBucket('dumps')

const exportOptions = (exportClient: unknown): Record<string, unknown> => ({ endpoint: ddb.endpoint, snapshotFrom: 'export', exportS3Bucket: 'dumps', exportS3Prefix: 'exports', exportS3: s3.config, exportClient, exportDelay: 0, exportPollInterval: 10 })

/** Runs a universe writer to `count` writes (inserts, modifications, removes). */
async function write (table: string, items: Item[], seed: number, count: number): Promise<number> {
  const w = startUniverseWriter(ddb.client, table, items, { key: 'S', seed, max: count })
  while (w.writes < count) await new Promise((resolve) => setTimeout(resolve, 10))
  await w.stop()
  return w.writes
}

t.test('snapshot-only from an export: the whole universe (big items, __proto__ names) lands equal, types exact, with (data file, line) positions', async (t) => {
  const { table, keys } = await loadUniverse(ddb, { key: 'S', big: true, count: 60, seed: 1601 })
  const copy = await createUniverseTable(ddb, 'S')
  const exp = fakeExport(ddb.client, table, s3, { fileCount: 4 })
  const source = createSource({ table, ...exportOptions(exp), snapshotOnly: true } as SourceInput)
  const records: OpenCDCRecord[] = []
  const progress: SnapshotProgress[] = []
  source.on('progress', (p) => { progress.push(p) })
  await pipeline(source, tap((r) => { records.push(r as OpenCDCRecord) }, true), createDestination({ table: copy, endpoint: ddb.endpoint }))
  const expected = await scanAll(ddb.client, table)
  t.same(diffItems(expected, await scanAll(ddb.client, copy), keys), [], 'every item equal, types included')
  t.equal(records.length, expected.length, 'one record per exported item')
  t.ok(records.every((r) => r.operation === 'snapshot' && r.metadata['opencdc.collection'] === table && r.key !== null), 'snapshot records of the table, keyed')
  const files = new Set(records.map((r) => decodeInputPosition(r.position).file))
  t.equal(files.size, 4, 'positions name the four data files')
  // Files are read 4 at once (exportConcurrency default); within each file, lines come in order.
  const last = new Map<string, number>()
  const outOfOrder = records.filter((r) => { const p = decodeInputPosition(r.position); const before = last.get(p.file) ?? 0; last.set(p.file, p.line as number); return (p.line as number) <= before })
  t.same(outOfOrder.map((r) => r.position.toString()), [], 'each file\'s lines are emitted in increasing order')
  t.same(exp.calls, { start: 1, describe: 2 }, 'one export requested, polled until COMPLETED')
  const arn = progress[0]?.export?.arn ?? '?'
  t.match(arn, /:table\/.*\/export\//)
  t.same(progress.map((p) => `${p.export?.status ?? '-'} ${p.segmentsDone}/${p.totalSegments}`), ['IN_PROGRESS 0/0', 'COMPLETED 0/4', 'COMPLETED 1/4', 'COMPLETED 2/4', 'COMPLETED 3/4', 'COMPLETED 4/4'], 'progress: waiting, then files done of 4')
  t.equal(progress.at(-1)?.items, records.length)
})

t.test('export snapshot then CDC: changes before and after the export\'s cut and after the snapshot leave the destination equal to the source', async (t) => {
  const { table, items, keys } = await loadUniverse(ddb, { key: 'S', count: 60, seed: 1602, stream: 'NEW_AND_OLD_IMAGES', proto: false })
  const copy = await createUniverseTable(ddb, 'S')
  const counts = { beforeCut: 0, afterCut: 0, afterSnapshot: 0 }
  // Before the cut: in the export and replayed by CDC (idempotent). After the cut: only CDC has them, so the anchor must precede the export.
  const exp = fakeExport(ddb.client, table, s3, {
    beforeCut: async () => { counts.beforeCut = await write(table, items, 1603, 12) },
    afterCut: async () => { counts.afterCut = await write(table, items, 1604, 12) }
  })
  const source = createSource({ table, ...exportOptions(exp), recordsPollingPeriod: 100, checkpoint: `${t.testdir()}/cp.json` } as SourceInput)
  const seen = { snapshot: 0, change: 0 }
  let handedOff!: () => void
  const handoff = new Promise<void>((resolve) => { handedOff = resolve })
  const run = pipeline(source, tap((c) => {
    if ((c as OpenCDCRecord).operation === 'snapshot') seen.snapshot++
    else { seen.change++; handedOff() }
  }, true), ackOnWrite(source, createDestination({ table: copy, endpoint: ddb.endpoint }))).catch((err: Error) => err)
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => { resolve('timeout') }, 120_000).unref())
  if (await Promise.race([handoff, timeout]) === 'timeout') {
    source.destroy()
    await run
    t.fail(`no change record followed the export snapshot within 120 s (${seen.snapshot} snapshot records)`)
    return
  }
  counts.afterSnapshot = await write(table, items, 1605, 12)
  const diff = await untilEqual(ddb.client, table, copy, keys, 60_000)
  source.destroy()
  await run
  t.same(diff, [], 'every item equal, types included')
  t.equal(seen.snapshot, exp.made?.items.length, 'the snapshot emitted exactly the exported items')
  t.ok(counts.beforeCut === 12 && counts.afterCut === 12 && counts.afterSnapshot === 12, `writes made: ${JSON.stringify(counts)}`)
  t.comment(`${seen.snapshot} snapshot + ${seen.change} change records; writes ${JSON.stringify(counts)}`)
})
