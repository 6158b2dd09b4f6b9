import t from 'tap'
import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { cli, runCli } from '../../../helpers/child.js'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createUniverseTable, diffItems, loadUniverse, PK, scanAll, type Item } from '../../../helpers/universe.js'
import { startUniverseWriter, untilEqual } from '../../../helpers/universe-writes.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const dir = mkdtempSync(path.join(tmpdir(), 'snapshot-workers-'))
const SEGMENTS = 8

interface Saved { snapshot?: { done: boolean, totalSegments: number, segments: unknown[], worker?: { index: number, count: number }, startedAt?: string } }
const saved = (file: string): Saved => existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as Saved : {}

/** DynamoDB's own answer to "which items are in these Scan segments" (the oracle, not our engine). */
async function segmentItems (table: string, segments: number[]): Promise<Item[]> {
  const out: Item[] = []
  for (const Segment of segments) {
    let ExclusiveStartKey: Item | undefined
    do {
      const page = await ddb.client.send(new ScanCommand({ TableName: table, Segment, TotalSegments: SEGMENTS, ConsistentRead: true, ExclusiveStartKey }))
      out.push(...(page.Items ?? []))
      ExclusiveStartKey = page.LastEvaluatedKey
    } while (ExclusiveStartKey !== undefined)
  }
  return out
}

const worker = (from: string, to: string, ckpt: string, w: string, extra: string[] = []): string[] =>
  ['copy', '--from', from, '--to', to, '--worker', w, '--snapshot-only', '-s', `snapshot.segments=${SEGMENTS}`, '--checkpoint', ckpt, '--batch-size', '25', ...extra]

t.test('four worker processes (--worker i/4) copy a universe table; the destination equals the source and status says all done', async (t) => {
  const { table, items } = await loadUniverse(ddb, { key: 'S', count: 240, stream: 'NEW_AND_OLD_IMAGES' })
  const dest = await createUniverseTable(ddb, 'S')
  const ckpt = path.join(dir, 'all-{worker}.json')
  const runs = await Promise.all([0, 1, 2, 3].map(async (i) => await cli(worker(table, dest, ckpt, `${i}/4`), { env, timeoutMs: 120_000 })))
  runs.forEach((r, i) => { t.equal(r.code, 0, `worker ${i}: ${r.stderr}`) })
  t.same(diffItems(items, await scanAll(ddb.client, dest), PK), [], 'destination equals the source, types exact')
  for (let i = 0; i < 4; i++) {
    const s = saved(ckpt.replace('{worker}', String(i))).snapshot
    t.same(s?.worker, { index: i, count: 4 }, `worker ${i}'s checkpoint is its own`)
    t.same(s?.segments.map((seg, n) => seg === null ? 'null' : n % 4 === i ? 'owned' : 'foreign'), Array.from({ length: SEGMENTS }, (_, n) => n % 4 === i ? 'owned' : 'null'), `worker ${i} touched only segments ${i} and ${i + 4}`)
    t.ok(s?.done === true && typeof s.startedAt === 'string' && !Number.isNaN(Date.parse(s.startedAt)), `worker ${i} is done and recorded its start`)
  }
  const status = await cli(['status', '--checkpoint', ckpt, '--workers', '4'], { env })
  t.equal(status.code, 0, status.stderr)
  t.match(status.stdout, /4 of 4 workers done; earliest start \d{4}-/)
  t.match(status.stdout, /stream retention reaches back to it for 2[23]\.\d h more/)
})

t.test('the hand-off: four workers snapshot while a writer changes the source, then one CDC run from TRIM_HORIZON; the destination ends equal to the source', async (t) => {
  const { table, items, keys } = await loadUniverse(ddb, { key: 'S', count: 120, seed: 1515, stream: 'NEW_AND_OLD_IMAGES', proto: false })
  const dest = await createUniverseTable(ddb, 'S')
  const ckpt = path.join(dir, 'handoff-{worker}.json')
  // Runbook step 1: the stream exists (loadUniverse enabled it); the writer starts before any worker scans.
  const writer = startUniverseWriter(ddb.client, table, items, { key: 'S', seed: 1516, pauseMs: 5, max: 20_000 })
  t.teardown(async () => { await writer.stop().catch(() => {}) })
  const atStart = writer.writes
  // Slow pages keep every worker's Scan open for seconds while the writer inserts, modifies and removes.
  const slow = ['-s', 'snapshot.limit=5', '-s', 'snapshot.rate.items=25']
  const runs = await Promise.all([0, 1, 2, 3].map(async (i) => await cli(worker(table, dest, ckpt, `${i}/4`, slow), { env, timeoutMs: 120_000 })))
  runs.forEach((r, i) => { t.equal(r.code, 0, `worker ${i}: ${r.stderr}`) })
  const atSnapshotEnd = writer.writes
  t.ok(atSnapshotEnd - atStart >= 20, `${atSnapshotEnd - atStart} writes landed while the workers scanned`)
  const stale = diffItems(await scanAll(ddb.client, table), await scanAll(ddb.client, dest), keys)
  t.ok(stale.length > 0, `the snapshot alone is stale (${stale.length} differences): the CDC phase has work to do`)
  // Step 3: status exits 0 only now.
  const status = await cli(['status', '--checkpoint', ckpt, '--workers', '4'], { env })
  t.equal(status.code, 0, status.stderr)
  // Step 4: exactly one CDC run, fresh checkpoint, from the common anchor TRIM_HORIZON (the stream predates every Scan).
  const cdc = runCli(['copy', '--from', table, '--to', dest, '--skip-snapshot', '-s', 'startFrom=trim_horizon', '-s', 'recordsPollingPeriod=100ms', '--checkpoint', path.join(dir, 'handoff-cdc.json'), '--until-idle', '5s'], { env })
  t.teardown(cdc.kill)
  const deadline = Date.now() + 60_000
  while (writer.writes < atSnapshotEnd + 30 && Date.now() < deadline) await sleep(50)
  await writer.stop()
  t.ok(writer.writes >= atSnapshotEnd + 30, `${writer.writes - atSnapshotEnd} writes after the snapshot, while CDC ran`)
  const diff = await untilEqual(ddb.client, table, dest, keys, 60_000)
  const end = await cdc.exited
  t.equal(end.code, 0, `the CDC run stopped by --until-idle: ${cdc.stderr.slice(-2000)}`)
  const source = await scanAll(ddb.client, table)
  t.same(diffItems(source, await scanAll(ddb.client, dest), keys), [], `destination equals the source, types exact (while running: ${diff.length} differences)`)
  t.ok(writer.counts.insert > 0 && writer.counts.modify > 0 && writer.counts.remove > 0, `writes of every kind: ${JSON.stringify(writer.counts)}`)
  t.comment(`${items.length} universe items, ${writer.writes} writes (${atSnapshotEnd - atStart} during the snapshot), ${source.length} items compared`)
})

t.test('a worker SIGKILLed mid-snapshot and restarted finishes only its own segments', async (t) => {
  const { table } = await loadUniverse(ddb, { key: 'N', count: 400 })
  const dest = await createUniverseTable(ddb, 'N')
  const ckpt = path.join(dir, 'kill-{worker}.json')
  const file = ckpt.replace('{worker}', '1')
  // Slow pages, so the kill lands after its first checkpoint save and before its end.
  const slow = ['-s', 'snapshot.limit=5', '-s', 'snapshot.rate.items=40', '-s', 'checkpoint.interval=50ms']
  const first = runCli(worker(table, dest, ckpt, '1/4', slow), { env })
  t.teardown(first.kill)
  const deadline = Date.now() + 60_000
  while (!(saved(file).snapshot?.segments ?? []).some((s) => s !== null)) {
    if (Date.now() > deadline || first.proc.exitCode !== null) throw new Error(`worker never saved progress: ${first.stderr}`)
    await sleep(25)
  }
  await first.kill()
  const atKill = saved(file).snapshot
  t.equal(atKill?.done, false, `killed mid-snapshot: ${JSON.stringify(atKill?.segments)}`)
  const partial = await cli(['status', '--checkpoint', ckpt, '--workers', '4'], { env })
  t.equal(partial.code, 1, 'status fails while workers are not done')
  t.match(partial.stderr, /ERR_DDB_WORKERS_INCOMPLETE|4 of 4 snapshot workers are not done/)
  t.match(partial.stdout, /worker 1\/4: running/)
  t.match(partial.stdout, /worker 0\/4: missing/)

  const again = await cli(worker(table, dest, ckpt, '1/4'), { env, timeoutMs: 120_000 })
  t.equal(again.code, 0, again.stderr)
  const end = saved(file).snapshot
  t.equal(end?.done, true)
  t.same(end?.startedAt, atKill?.startedAt, 'the restart keeps the first start time (the hand-off must reach back to it)')
  t.same(end?.segments.map((s) => s === null ? null : 'done' in (s as object)), [null, true, null, null, null, true, null, null], 'only segments 1 and 5 were read, both to the end')
  t.same(diffItems(await segmentItems(table, [1, 5]), await scanAll(ddb.client, dest), PK), [], 'the destination holds exactly the items of segments 1 and 5, as DynamoDB splits them')
})

t.test('a worker resuming another worker\'s checkpoint fails loudly', async (t) => {
  const { table } = await loadUniverse(ddb, { key: 'S', count: 20 })
  const dest = await createUniverseTable(ddb, 'S')
  const ckpt = path.join(dir, 'mix.json')
  t.equal((await cli(worker(table, dest, ckpt, '0/2'), { env })).code, 0)
  const wrong = await cli(worker(table, dest, ckpt, '1/2'), { env })
  t.equal(wrong.code, 1)
  t.match(wrong.stderr, /ERR_DDB_WORKER_MISMATCH|was written by worker 0\/2, not worker 1\/2/)
})
