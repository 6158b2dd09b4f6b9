import t, { type Test } from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll, type KeyType } from '../../helpers/universe.js'
import { startUniverseWriter, untilEqual } from '../../helpers/universe-writes.js'

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'universe.child.ts')
const loader = process.execArgv.filter((a) => a.includes('typescript'))
const ddb = await useDynamo(t)

// A test that fails mid-way must not leave its copier running.
const running = new Set<ChildProcess>()
t.teardown(() => { for (const p of running) p.kill('SIGKILL') })

interface Copier { stdout: () => string, exited: Promise<number | null>, kill: () => Promise<void> }

/** Spawns the copying child (universe.child.ts) with the checkpoint file. */
function copier (table: string, dest: string, checkpoint: string, mode: 'snapshot' | 'cdc'): Copier {
  const proc = spawn(process.execPath, [...loader, CHILD, ddb.endpoint, table, dest, checkpoint, mode], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
  let out = ''
  proc.stdout.on('data', (c: Buffer) => { out += c.toString() })
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => { running.delete(proc); resolve(code) }))
  running.add(proc)
  return { stdout: () => out, exited, kill: async () => { proc.kill('SIGKILL'); await exited } }
}

async function countItems (table: string): Promise<number> {
  let n = 0
  let start: Record<string, never> | undefined
  do {
    const out = await ddb.client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }))
    n += out.Count ?? 0
    start = out.LastEvaluatedKey as typeof start
  } while (start !== undefined)
  return n
}

async function snapshotDone (file: string): Promise<boolean> {
  try { return (JSON.parse(await readFile(file, 'utf8')) as { snapshot?: { done?: boolean } }).snapshot?.done === true } catch { return false }
}

/** True once the checkpoint holds a snapshot position past the start (a segment's last key). */
async function snapshotSaved (file: string): Promise<boolean> {
  try { return (JSON.parse(await readFile(file, 'utf8')) as { snapshot?: { segments?: Array<{ key?: unknown } | null> } }).snapshot?.segments?.some((g) => g?.key !== undefined) === true } catch { return false }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `until` every 25 ms; throws (after killing the child) if the child exits first or 120 s pass. */
async function waitFor (t: Test, child: Copier, until: () => Promise<boolean>, what: string): Promise<void> {
  let exited = false
  void child.exited.then(() => { exited = true })
  const deadline = Date.now() + 120_000
  while (!(await until())) {
    if (exited) throw new Error(`the copy exited (${await child.exited}) before ${what}`)
    if (Date.now() > deadline) { await child.kill(); throw new Error(`timed out waiting until ${what}`) }
    await sleep(25)
  }
  t.pass(what)
}

for (const key of ['S', 'B'] as KeyType[]) {
  t.test(`a ${key}-keyed universe copy SIGKILLed mid-snapshot resumes from its checkpoint and the destination equals the source`, async (t) => {
    const { table, items, keys } = await loadUniverse(ddb, { key, big: true, count: 90, seed: 505 })
    const dest = await createUniverseTable(ddb, key)
    const checkpoint = path.join(t.testdir(), 'cp.json')
    const first = copier(table, dest, checkpoint, 'snapshot')
    // Killed once a position is saved: before that a resume rightly starts over (a record before it may be unwritten).
    await waitFor(t, first, async () => await countItems(dest) >= 25 && await snapshotSaved(checkpoint), 'the first run wrote 25 items and saved a snapshot position')
    await first.kill()
    const atKill = await countItems(dest)
    const saved = await readFile(checkpoint, 'utf8').catch(() => '<none>')
    t.ok(atKill > 0 && atKill < items.length && !(await snapshotDone(checkpoint)), `killed mid-snapshot: ${atKill} of ${items.length} items written, snapshot not done (checkpoint ${saved.slice(0, 200)})`)
    const second = copier(table, dest, checkpoint, 'snapshot')
    t.equal(await second.exited, 0, 'the resumed run ends by itself')
    const resumed = Number(/DONE (\d+)/.exec(second.stdout())?.[1])
    t.ok(resumed < items.length, `the resumed run read ${resumed} records, not all ${items.length} again`)
    const back = await scanAll(ddb.client, dest)
    t.equal(back.length, items.length, 'same item count')
    t.same(diffItems(items, back, keys), [], 'every item equal, types included')
    t.comment(`${items.length} items (two of 395 KB); killed at ${atKill} written; resumed with ${resumed} records; ${back.length} compared`)
  })
}

t.test('a universe copy with CDC, SIGKILLed mid-snapshot, at the hand-off and during CDC while universe writes go on, ends equal to the source', async (t) => {
  const { table, items, keys } = await loadUniverse(ddb, { key: 'S', big: true, count: 60, seed: 606, stream: 'NEW_AND_OLD_IMAGES' })
  const dest = await createUniverseTable(ddb, 'S')
  const checkpoint = path.join(t.testdir(), 'cp.json')
  const writer = startUniverseWriter(ddb.client, table, items, { key: 'S', seed: 607, pauseMs: 20 })
  const kills: string[] = []
  try {
    const first = copier(table, dest, checkpoint, 'cdc')
    await waitFor(t, first, async () => await countItems(dest) >= 20, 'the first run wrote 20 items')
    await first.kill()
    t.notOk(await snapshotDone(checkpoint), 'the first kill came mid-snapshot')
    kills.push(`mid-snapshot (${await countItems(dest)} written, ${writer.writes} writes)`)
    const second = copier(table, dest, checkpoint, 'cdc')
    await waitFor(t, second, async () => await snapshotDone(checkpoint), 'the second run finished the snapshot')
    await second.kill()
    kills.push(`at the hand-off (${writer.writes} writes)`)
    const third = copier(table, dest, checkpoint, 'cdc')
    const before = writer.writes
    await waitFor(t, third, async () => writer.writes >= before + 15, 'CDC ran while 15 more writes were made')
    await third.kill()
    kills.push(`during CDC (${writer.writes} writes)`)
  } finally {
    await writer.stop()
  }
  const last = copier(table, dest, checkpoint, 'cdc')
  const diffRunning = await untilEqual(ddb.client, table, dest, keys, 60_000)
  await last.kill()
  const expected = await scanAll(ddb.client, table)
  const back = await scanAll(ddb.client, dest)
  t.ok(writer.counts.insert > 0 && writer.counts.modify > 0 && writer.counts.remove > 0, `writes: ${JSON.stringify(writer.counts)}`)
  t.equal(back.length, expected.length, 'same item count')
  t.same(diffItems(expected, back, keys), [], `every item equal, types included (${diffRunning.length} differences when the last run was stopped)`)
  t.comment(`${items.length} universe items + ${writer.writes} writes ${JSON.stringify(writer.counts)}; kills ${kills.join(', ')}; ${expected.length} items compared`)
})
