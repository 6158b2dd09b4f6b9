import t from 'tap'
import { pipeline } from 'node:stream/promises'
import { useDynamo } from '../../helpers/dynamo.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll } from '../../helpers/universe.js'
import { tap } from '../../helpers/universe-path.js'
import { startUniverseWriter, untilEqual, type UniverseWriter } from '../../helpers/universe-writes.js'
import { createSource } from '../../../src/readable/source.js'
import { ackOnWrite } from '../../../src/readable/ack.js'
import { createDestination } from '../../../src/writable/destination.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'

const ddb = await useDynamo(t)

// Nested `__proto__` names included: GetRecords is decoded by src/aws/wire-decode.ts, not by the Streams SDK's
// deserializer (@smithy/core JsonShapeDeserializer2), which replaces their value with undefined.

t.test('snapshot then CDC with universe inserts, modifications and removes during the snapshot: the destination ends equal to the source', async (t) => {
  const { table, items, keys } = await loadUniverse(ddb, { key: 'S', big: true, count: 60, seed: 404, stream: 'NEW_AND_OLD_IMAGES' })
  const copy = await createUniverseTable(ddb, 'S')
  // Small pages at 20 items/s keep the snapshot running for a few seconds while the writer works.
  const source = createSource({ table, endpoint: ddb.endpoint, snapshotPageSize: 5, readRatePerSecond: 20, recordsPollingPeriod: 100, checkpoint: `${t.testdir()}/cp.json` })
  const seen = { snapshot: 0, change: 0 }
  let writer: UniverseWriter | undefined
  let writesDuringSnapshot = -1
  const run = pipeline(source, tap((c) => {
    const r = c as OpenCDCRecord
    if (r.operation === 'snapshot') {
      seen.snapshot++
      writer ??= startUniverseWriter(ddb.client, table, items, { key: 'S', seed: 405, pauseMs: 5, max: 5_000 })
    } else {
      if (writesDuringSnapshot < 0) writesDuringSnapshot = writer?.writes ?? 0
      seen.change++
    }
  }, true), ackOnWrite(source, createDestination({ table: copy, endpoint: ddb.endpoint }))).catch((err: Error) => err)

  // Bounded waits: a stuck phase fails with a message rather than hanging until tap's timeout.
  const deadline = Date.now() + 120_000
  while ((writer === undefined || writesDuringSnapshot < 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  if (writer === undefined || writesDuringSnapshot < 0) {
    await writer?.stop()
    source.destroy()
    await run
    t.fail(`the snapshot never handed off to CDC within 120 s (${seen.snapshot} snapshot records, ${writer?.writes ?? 0} writes)`)
    return
  }
  // Writes go on through the hand-off and into CDC (the writer's cap is far above what the snapshot's seconds allow).
  while (writer.writes < writesDuringSnapshot + 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  await writer.stop()
  t.ok(writer.writes >= writesDuringSnapshot + 20, `writes went on after the hand-off (${writer.writes - writesDuringSnapshot} of 20 wanted)`)
  const diffWhileRunning = await untilEqual(ddb.client, table, copy, keys, 60_000)
  source.destroy()
  const ended = await run
  t.ok(ended === undefined || (ended as { code?: string }).code === 'ABORT_ERR' || /destroy|abort|premature/i.test(ended.message), `the pipeline ended only by the destroy (${String(ended)})`)

  const expected = await scanAll(ddb.client, table)
  const back = await scanAll(ddb.client, copy)
  t.ok(writesDuringSnapshot >= 10, `${writesDuringSnapshot} of ${writer.writes} writes were made while the snapshot ran`)
  t.ok(writer.counts.insert > 0 && writer.counts.modify > 0 && writer.counts.remove > 0, `inserts ${writer.counts.insert}, modifications ${writer.counts.modify}, removes ${writer.counts.remove}`)
  t.equal(back.length, expected.length, 'same item count')
  t.same(diffItems(expected, back, keys), [], `every item equal, types included (while running: ${diffWhileRunning.length} differences)`)
  t.comment(`${items.length} universe items; ${writer.writes} writes (${JSON.stringify(writer.counts)}), ${writesDuringSnapshot} during the snapshot; ${seen.snapshot} snapshot + ${seen.change} change records; ${expected.length} items compared, 0 mismatches expected`)
})
