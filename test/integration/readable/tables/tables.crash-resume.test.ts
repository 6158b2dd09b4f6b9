import t, { type Test } from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll, type KeyType } from '../../../helpers/universe.js'
import { startUniverseWriter, untilEqual } from '../../../helpers/universe-writes.js'

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tables.child.ts')
const loader = process.execArgv.filter((a) => a.includes('typescript'))
const ddb = await useDynamo(t)
const running = new Set<ChildProcess>()
t.teardown(() => { for (const p of running) p.kill('SIGKILL') })

function copier (tables: string[], checkpoint: string): { exited: Promise<number | null>, kill: () => Promise<void> } {
  const proc = spawn(process.execPath, [...loader, CHILD, ddb.endpoint, tables.join(','), checkpoint], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => { running.delete(proc); resolve(code) }))
  running.add(proc)
  return { exited, kill: async () => { proc.kill('SIGKILL'); await exited } }
}

interface Sections { tables?: Record<string, { checkpoint?: { snapshot?: { done?: boolean, segments?: Array<{ key?: unknown } | null> } } }> }
async function sections (file: string): Promise<Sections> {
  try { return JSON.parse(await readFile(file, 'utf8')) as Sections } catch { return {} }
}
const snapshots = async (file: string): Promise<Array<{ done?: boolean, segments?: Array<{ key?: unknown } | null> } | undefined>> => Object.values((await sections(file)).tables ?? {}).map((s) => s.checkpoint?.snapshot)

async function waitFor (t: Test, child: { exited: Promise<number | null>, kill: () => Promise<void> }, until: () => Promise<boolean>, what: string): Promise<void> {
  let exited = false
  void child.exited.then(() => { exited = true })
  const deadline = Date.now() + 120_000
  while (!(await until())) {
    if (exited) throw new Error(`the copy exited (${await child.exited}) before ${what}`)
    if (Date.now() > deadline) { await child.kill(); throw new Error(`timed out waiting until ${what}`) }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  t.pass(what)
}

t.test('a three-table copy SIGKILLed mid-snapshot and during CDC, while writers change all three, resumes each table and ends with identical copies', async (t) => {
  const KEYS: KeyType[] = ['S', 'N', 'B']
  const loaded = await Promise.all(KEYS.map(async (key, i) => await loadUniverse(ddb, { key, count: 40, seed: 900 + i, big: i === 0, stream: 'NEW_AND_OLD_IMAGES', proto: false })))
  const tables = loaded.map((l) => l.table)
  await Promise.all(loaded.map(async (l, i) => await createUniverseTable(ddb, KEYS[i] as KeyType, { name: `${l.table}_copy` })))
  const checkpoint = path.join(t.testdir(), 'cp.json')
  const writers = loaded.map((l, i) => startUniverseWriter(ddb.client, l.table, l.items, { key: KEYS[i] as KeyType, seed: 910 + i, pauseMs: 40 }))
  const kills: string[] = []
  try {
    const first = copier(tables, checkpoint)
    await waitFor(t, first, async () => (await snapshots(checkpoint)).filter((s) => s?.segments?.some((g) => g?.key !== undefined) === true).length >= 2, 'two tables saved a snapshot position')
    await first.kill()
    const at = await snapshots(checkpoint)
    t.ok(at.some((s) => s?.done !== true), `killed while a snapshot was unfinished (${JSON.stringify(at.map((s) => s?.done ?? null))})`)
    kills.push(`mid-snapshot (done: ${JSON.stringify(at.map((s) => s?.done ?? null))})`)
    const second = copier(tables, checkpoint)
    await waitFor(t, second, async () => (await snapshots(checkpoint)).filter((s) => s?.done === true).length === 3, 'the second run finished all three snapshots')
    const before = writers.map((w) => w.writes)
    await waitFor(t, second, async () => writers.every((w, i) => w.writes >= (before[i] as number) + 10), 'CDC ran while 10 more writes per table were made')
    await second.kill()
    kills.push(`during CDC (${writers.map((w) => w.writes).join('/')} writes)`)
  } finally {
    await Promise.all(writers.map(async (w) => await w.stop()))
  }
  const last = copier(tables, checkpoint)
  const running = await Promise.all(loaded.map(async (l) => await untilEqual(ddb.client, l.table, `${l.table}_copy`, l.keys, 60_000)))
  await last.kill()
  for (const [i, l] of loaded.entries()) {
    const expected = await scanAll(ddb.client, l.table)
    const back = await scanAll(ddb.client, `${l.table}_copy`)
    t.ok(writers[i]?.counts.insert !== 0 && writers[i]?.counts.modify !== 0 && writers[i]?.counts.remove !== 0, `${l.table} writes: ${JSON.stringify(writers[i]?.counts)}`)
    t.equal(back.length, expected.length, `${l.table}: same item count`)
    t.same(diffItems(expected, back, l.keys), [], `${l.table}: every item equal, types included (${running[i]?.length ?? 0} differences when the last run was stopped)`)
  }
  t.comment(`kills: ${kills.join(', ')}`)
})
