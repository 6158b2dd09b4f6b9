import t from 'tap'
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { WriteRequest } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../helpers/dynamo.js'
import { report } from '../helpers/report.js'
import { runCli, type Child } from '../helpers/child.js'
import { startFaultProxy, type FaultRule } from '../helpers/fault-proxy.js'
import { fillTable, startMutator } from '../helpers/mutator.js'
import { rng } from '../helpers/random.js'
import { describeDiff, diffStates, scanTable, settle } from '../helpers/table-state.js'

const LONG = process.env.RELIABILITY_LONG === '1'
const TRIALS = Number(process.env.RELIABILITY_TRIALS ?? (LONG ? 40 : 10))
const BASE_SEED = Number(process.env.RELIABILITY_SEED ?? 1000)

const dynamo = await useDynamo(t)
const dir = await mkdtemp(path.join(tmpdir(), 'ddb-crash-'))
t.teardown(() => rm(dir, { recursive: true, force: true }))

// Faults on every path the copy uses; slow Scan pages keep the snapshot long enough to be killed in.
const RULES: FaultRule[] = [
  { kind: 'slow', operations: ['Scan'], probability: 0.5, delayMs: 60 },
  { kind: 'throttling', operations: ['Scan'], probability: 0.05 },
  { kind: 'http500', operations: ['Scan', 'GetRecords'], probability: 0.03 },
  { kind: 'reset', operations: ['Scan', 'GetRecords', 'BatchWriteItem'], probability: 0.02 },
  { kind: 'expiredIterator', probability: 0.05 },
  { kind: 'unprocessed', probability: 0.1 },
  { kind: 'throughputExceeded', operations: ['BatchWriteItem'], probability: 0.05 },
  { kind: 'lostResponse', operations: ['BatchWriteItem'], probability: 0.02 }
]

type Phase = 'snapshot' | 'handoff' | 'cdc'

const totals = { trials: 0, kills: { snapshot: 0, handoff: 0, cdc: 0 } as Record<Phase, number>, compared: 0, lost: 0, duplicates: 0, writes: 0 }
const faults: Record<string, number> = {}
let destTable = ''
const delivered = new Map<string, number>()

const proxy = await startFaultProxy({
  target: dynamo.endpoint,
  seed: BASE_SEED,
  rules: RULES,
  observe: (req) => {
    if (req.operation !== 'BatchWriteItem') return
    for (const w of (req.body.RequestItems as Record<string, WriteRequest[]>)[destTable] ?? []) {
      const item = w.PutRequest?.Item
      if (item === undefined) continue
      const change = `${item.id?.S ?? ''}@${item.ver?.N ?? ''}`
      delivered.set(change, (delivered.get(change) ?? 0) + 1)
    }
  }
})
t.teardown(() => proxy.close())

async function snapshotDone (file: string): Promise<boolean> {
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as { snapshot?: { done?: boolean } }
    return doc.snapshot?.done === true
  } catch {
    return false
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function copy (source: string, dest: string, checkpoint: string, extra: string[] = []): Child {
  return runCli(['copy', '--from', source, '--to', dest, '--endpoint', proxy.endpoint, '--checkpoint', checkpoint,
    '-s', 'snapshot.limit=25', '-s', 'recordsPollingPeriod=100ms', '-s', 'checkpoint.interval=50ms', '-q', ...extra])
}

/** Waits for `until` (polled) or the child's exit; false when the child exited first. */
async function waitFor (child: Child, until: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let exited = false
  void child.exited.then(() => { exited = true })
  const deadline = Date.now() + timeoutMs
  while (!exited && Date.now() < deadline) {
    if (await until()) return true
    await sleep(10)
  }
  return !exited
}

for (let trial = 0; trial < TRIALS; trial++) {
  const seed = BASE_SEED + trial
  t.test(`trial ${trial} (seed ${seed}): a copy SIGKILLed at random moments and resumed from its checkpoint leaves the destination equal to the source`, async (t) => {
    const r = rng(seed)
    const source = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
    const dest = await dynamo.createTable()
    destTable = dest
    delivered.clear()
    const checkpoint = path.join(dir, `${seed}.ckpt.json`)
    const items = 300 + Math.floor(r() * 300)
    await fillTable(dynamo.client, source, items, seed)
    const mutator = startMutator(dynamo.client, source, { seed, keySpace: Math.floor(items * 1.2), pauseMs: 15 })
    const kills = 2 + Math.floor(r() * 2)
    const phases: string[] = []
    try {
      for (let k = 0; k < kills; k++) {
        // Every third trial's first run is killed just after its snapshot completes, so the hand-off is always hit.
        const draw = (['snapshot', 'snapshot', 'handoff', 'cdc'] as const)[Math.floor(r() * 4)] as Phase
        const aim: Phase = k === 0 && trial % 3 === 0 ? 'handoff' : draw
        const child = copy(source, dest, checkpoint)
        const wasDone = await snapshotDone(checkpoint)
        let alive: boolean
        if (aim === 'snapshot') {
          // Once this run has scanned a page, somewhere in the next half second.
          const scans = proxy.requests.Scan ?? 0
          alive = await waitFor(child, async () => (proxy.requests.Scan ?? 0) > scans || await snapshotDone(checkpoint), 30_000)
          if (alive) alive = await waitFor(child, async () => false, Math.floor(r() * 500))
        } else {
          alive = await waitFor(child, async () => await snapshotDone(checkpoint), 30_000)
          if (alive && aim === 'cdc') alive = await waitFor(child, async () => false, 200 + Math.floor(r() * 1000))
          if (alive && aim === 'handoff') alive = await waitFor(child, async () => false, Math.floor(r() * 60))
        }
        if (!alive) {
          const { code } = await child.exited
          t.fail(`copy exited by itself (code ${code}) before kill ${k}: ${child.stderr.slice(-1500)}`)
          return
        }
        await child.kill()
        const phase: Phase = !(await snapshotDone(checkpoint)) ? 'snapshot' : aim === 'handoff' && !wasDone ? 'handoff' : 'cdc'
        totals.kills[phase]++
        phases.push(phase)
      }
    } finally {
      await mutator.stop()
    }
    // The last run goes on until the destination matches the source, then is stopped like Ctrl-C.
    const expected = await scanTable(dynamo.client, source)
    const last = copy(source, dest, checkpoint)
    let ended = false
    void last.exited.then(() => { ended = true })
    const caughtUp = await settle(async () => diffStates(expected, await scanTable(dynamo.client, dest)), () => ended, 60_000)
    last.proc.kill('SIGINT')
    const timer = setTimeout(() => { last.proc.kill('SIGKILL') }, 30_000)
    const { code, signal } = await last.exited
    clearTimeout(timer)
    t.equal(code, 0, `the final run stops cleanly on SIGINT (signal ${signal}): ${last.stderr.slice(-1500)}`)
    const diff = diffStates(expected, await scanTable(dynamo.client, dest))
    t.same(diff, { missing: [], extra: [], different: [], compared: expected.size }, `${describeDiff(diff)} (while running: ${describeDiff(caughtUp)})`)
    const duplicates = [...delivered.values()].filter((n) => n > 1).length
    totals.trials++
    totals.compared += expected.size
    totals.lost += diff.missing.length + diff.different.length + diff.extra.length
    totals.duplicates += duplicates
    totals.writes += mutator.writes
    t.comment(`kills at ${phases.join(', ')}; ${items} items + ${mutator.writes} concurrent writes; ${expected.size} compared; changes written more than once: ${duplicates}`)
  })
}

t.test('summary', async (t) => {
  for (const [k, v] of Object.entries(proxy.injected)) faults[k] = v
  t.equal(totals.trials, TRIALS, 'every trial ran to its comparison')
  t.equal(totals.lost, 0, 'lost = 0')
  t.ok(totals.kills.handoff > 0, `killed at the hand-off ${totals.kills.handoff}×`)
  t.ok(totals.kills.snapshot > 0 && totals.kills.cdc > 0, `killed during the snapshot ${totals.kills.snapshot}×, at the hand-off ${totals.kills.handoff}×, during CDC ${totals.kills.cdc}×`)
  t.ok(proxy.totalInjected() > 0)
  const line = `crash/resume: trials ${totals.trials}, kills ${JSON.stringify(totals.kills)}, concurrent writes ${totals.writes}, records compared ${totals.compared}, lost ${totals.lost}, duplicates observed ${totals.duplicates}, faults injected ${proxy.totalInjected()} ${JSON.stringify(faults)}`
  report(t, line)
})
