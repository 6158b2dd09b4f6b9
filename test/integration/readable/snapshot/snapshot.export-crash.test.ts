import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { useDynamo } from '../../../helpers/dynamo.js'
import { exportTable } from '../../../helpers/export.js'
import { useS3 } from '../../../helpers/s3.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll } from '../../../helpers/universe.js'

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'snapshot.export.child.ts')
const loader = process.execArgv.filter((a) => a.includes('typescript'))
const ddb = await useDynamo(t)
const s3 = await useS3(t)
await s3.createBucket('dumps')

// A test that fails mid-way must not leave its copier running.
const running = new Set<ChildProcess>()
t.teardown(() => { for (const p of running) p.kill('SIGKILL') })

function copier (args: string[]): { stdout: () => string, exited: Promise<number | null>, kill: () => Promise<void> } {
  const proc = spawn(process.execPath, [...loader, CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
  let out = ''
  proc.stdout.on('data', (c: Buffer) => { out += c.toString() })
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => { running.delete(proc); resolve(code) }))
  running.add(proc)
  return { stdout: () => out, exited, kill: async () => { proc.kill('SIGKILL'); await exited } }
}

type Files = Record<string, { line?: number, done?: boolean }>
async function exportFiles (file: string): Promise<Files> {
  try { return (JSON.parse(await readFile(file, 'utf8')) as { export?: { files?: Files } }).export?.files ?? {} } catch { return {} }
}

t.test('killed (SIGKILL) part-way through the export\'s files, a new process resumes each file at its next line and the copy equals the source', async (t) => {
  const { table, keys } = await loadUniverse(ddb, { key: 'S', count: 60, seed: 1630 })
  const dest = await createUniverseTable(ddb, 'S')
  const exp = exportTable(ddb.client, table, { prefix: 'crash', fileCount: 3, bucket: 'dumps' })
  const made = await exp
  for (const [key, body] of made.files) await s3.put('dumps', key, body)
  const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table}/export/${made.base.slice(made.base.lastIndexOf('/') + 1)}`
  const checkpoint = `${t.testdir()}/cp.json`
  const args = [ddb.endpoint, table, dest, checkpoint, s3.endpoint, 'dumps', `${made.base}/manifest-summary.json`, arn]

  const first = copier(args)
  // Until some file has an acknowledged line short of its end (20 items/s, 5 per round at the destination, keep it running for seconds).
  const deadline = Date.now() + 120_000
  let killedAt: Files = {}
  let finished = false
  void first.exited.then(() => { finished = true })
  while (!finished && Date.now() < deadline) {
    killedAt = await exportFiles(checkpoint)
    if (Object.values(killedAt).some((p) => (p.line ?? 0) >= 3)) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  t.notOk(finished, 'the first copy was still running when killed')
  await first.kill()
  killedAt = await exportFiles(checkpoint) // what the killed process left on disk
  t.ok(Object.values(killedAt).some((p) => (p.line ?? 0) > 0), `killed with per-file lines in the checkpoint: ${JSON.stringify(Object.values(killedAt))}`)

  const second = copier(args)
  t.equal(await second.exited, 0, 'the resumed copy ends by itself')
  const resumed = Number(/DONE (\d+)/.exec(second.stdout())?.[1] ?? NaN)
  const counts = new Map(made.files.get(`${made.base}/manifest-files.json`)?.toString().trim().split('\n').map((l) => { const m = JSON.parse(l) as { dataFileS3Key: string, itemCount: number }; return [m.dataFileS3Key, m.itemCount] }))
  const handled = Object.entries(killedAt).reduce((n, [f, p]) => n + (p.done === true ? counts.get(f) ?? 0 : p.line ?? 0), 0)
  t.equal(resumed, made.items.length - handled, `the resumed run read exactly the ${made.items.length - handled} records after the checkpoint's lines (${handled} were acknowledged before the kill)`)
  t.ok(Object.values(await exportFiles(checkpoint)).filter((p) => p.done === true).length === 3, 'all three files are done in the checkpoint')
  t.same(diffItems(await scanAll(ddb.client, table), await scanAll(ddb.client, dest), keys), [], 'the copy equals the source, types exact')
})
