import t from 'tap'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'checkpoint.child.ts')
const loader = process.execArgv.filter((a) => a.includes('typescript'))

/** The checkpoint as a reader sees it: its n if the file is complete JSON, else what was wrong. */
async function peek (file: string): Promise<{ n?: number, bad?: string }> {
  const text = await readFile(file, 'utf8')
  try {
    const doc = JSON.parse(text) as { n: number, pad: string }
    if (doc.pad.length < 2_000_000 || doc.pad !== String(doc.n % 10).repeat(doc.pad.length)) return { bad: `n ${doc.n} with a wrong pad` }
    return { n: doc.n }
  } catch {
    return { bad: `${text.length} bytes of invalid JSON` }
  }
}

t.test('a reader polling a checkpoint file while another process saves 2 MB checkpoints and is SIGKILLed never sees half of one', async (t) => {
  const file = path.join(t.testdir(), 'cp.json')
  const proc = spawn(process.execPath, [...loader, child, file], { stdio: ['ignore', 'pipe', 'inherit'] })
  let saved = -1
  proc.stdout.on('data', (c: Buffer) => { const m = /SAVED (\d+)\n$/.exec(c.toString()); if (m !== null) saved = Number(m[1]) })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)))
  while (saved < 0) await new Promise((resolve) => setTimeout(resolve, 10))
  const bad: string[] = []
  const seen = new Set<number>()
  for (let reads = 0; reads < 400 && seen.size < 40; reads++) {
    const got = await peek(file)
    if (got.bad !== undefined) bad.push(got.bad)
    else seen.add(got.n as number)
  }
  proc.kill('SIGKILL')
  t.equal(await exited, 'SIGKILL', 'killed while saving')
  const last = await peek(file)
  t.same(bad, [], 'every read while saving parsed as a whole checkpoint')
  t.ok(seen.size >= 5, `the reader saw ${seen.size} different checkpoints, so it read while saves happened`)
  t.equal(last.bad, undefined, 'the file left by the kill is a whole checkpoint')
  t.ok((last.n ?? -1) >= Math.max(...seen), 'and no older than what was read before')
})
