import t, { type Test } from 'tap'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { CLI } from '../../helpers/child.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { seed } from './cli.tables.js'

const ddb = await useDynamo(t)

/** `npx --offline node dist/src/cli/main.js …` in its own process group: npm exec → sh -c → node, as a user runs it. */
function underNpx (args: string[]): { npx: ChildProcess, stdout: () => string, stderr: () => string, closed: Promise<void> } {
  const npx = spawn('npx', ['--offline', 'node', CLI, ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', DYNAMODB_ENDPOINT: ddb.endpoint },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true
  })
  let stderr = ''
  let stdout = ''
  npx.stdout?.on('data', (c: Buffer) => { stdout += c.toString() })
  npx.stderr?.on('data', (c: Buffer) => { stderr += c.toString() })
  // stderr ends when the last process holding it (the CLI's node) exits, whoever its parent is by then.
  const closed = new Promise<void>((resolve) => npx.stderr?.on('close', () => resolve()))
  return { npx, stdout: () => stdout, stderr: () => stderr, closed }
}

/** The CLI's own node process in the group (not npm, not sh). */
function cliPid (group: number): number | undefined {
  const rows = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' }).split('\n')
  for (const row of rows) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(row)
    if (m !== null && Number(m[2]) === group && /^node\s/.test(m[3] as string) && (m[3] as string).includes('main.js')) return Number(m[1])
  }
  return undefined
}

async function until (what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1200; i++) { if (ok()) return; await new Promise((resolve) => setTimeout(resolve, 50)) }
  throw new Error(`timed out waiting for ${what}`)
}

// Gone, or a zombie waiting for its new parent (init) to reap it.
function gone (pid: number): boolean {
  try { return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z') } catch { return true }
}

/** Resolves when the CLI closed its stderr, or fails after 60 s (an orphan that never stops). */
async function ended (run: ReturnType<typeof underNpx>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([run.closed, new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`the CLI did not stop within 60 s; stderr: ${run.stderr()}`)), 60_000) })])
  clearTimeout(timer)
}

async function startCopy (t: Test): Promise<{ run: ReturnType<typeof underNpx>, pid: number, checkpoint: string, from: string }> {
  const from = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 30 }, (_, i) => ({ id: `k${i}` })))
  const checkpoint = path.join(t.testdir({}), 'copy.ckpt')
  const run = underNpx(['copy', '--from', from, '--to', to, '--checkpoint', checkpoint, '-v'])
  t.teardown(() => { try { process.kill(-(run.npx.pid as number), 'SIGKILL') } catch {} })
  await until('the copy to reach the changes', () => /snapshot scan complete/.test(run.stderr()))
  let pid: number | undefined
  await until('the CLI process', () => (pid = cliPid(run.npx.pid as number)) !== undefined)
  return { run, pid: pid as number, checkpoint, from }
}

t.test('SIGTERM to npx (its sh dies, the CLI is orphaned): the CLI still stops, saves its checkpoint and exits 0', async (t) => {
  const { run, pid, checkpoint } = await startCopy(t)
  process.kill(run.npx.pid as number, 'SIGTERM')
  await ended(run)
  await until('the CLI process to exit', () => gone(pid))
  t.match(run.stderr(), /copy summary: 30 read, 30 written, .*exit 0/)
  t.ok(existsSync(checkpoint))
  t.equal((JSON.parse(readFileSync(checkpoint, 'utf8')) as { snapshot: { done: boolean } }).snapshot.done, true, 'the checkpoint says the snapshot is done')
})

t.test('Ctrl-C under npx (SIGINT to the whole process group, as a terminal sends it): one clean stop, the CLI exits 0 with its checkpoint saved', async (t) => {
  const { run, pid, checkpoint } = await startCopy(t)
  // npm itself then re-raises SIGINT on itself (a shell shows 130 for npx); the CLI's own exit is in its summary line.
  process.kill(-(run.npx.pid as number), 'SIGINT')
  await ended(run)
  await until('the CLI process to exit', () => gone(pid))
  t.match(run.stderr(), /copy summary: 30 read, 30 written, .*exit 0/)
  t.equal((JSON.parse(readFileSync(checkpoint, 'utf8')) as { snapshot: { done: boolean } }).snapshot.done, true)
})

t.test('SIGTERM to npx running `local`: the CLI stops DynamoDB Local (its port is free again) and exits 0', async (t) => {
  const run = underNpx(['local', '--port', '0', '-v'])
  t.teardown(() => { try { process.kill(-(run.npx.pid as number), 'SIGKILL') } catch {} })
  await until('the endpoint on stdout', () => /^http:\/\/\S+\n/.test(run.stdout()))
  const endpoint = run.stdout().trim()
  let pid: number | undefined
  await until('the CLI process', () => (pid = cliPid(run.npx.pid as number)) !== undefined)
  t.equal((await fetch(endpoint, { method: 'POST' }).catch(() => undefined)) !== undefined, true, 'DynamoDB Local answers')
  process.kill(run.npx.pid as number, 'SIGTERM')
  await ended(run)
  await until('the CLI process to exit', () => gone(pid as number))
  t.match(run.stderr(), /local summary: .*exit 0/)
  const after = await fetch(endpoint, { method: 'POST' }).then(() => 'answered', (err: Error) => String((err.cause as { code?: string } | undefined)?.code))
  t.equal(after, 'ECONNREFUSED', 'nothing listens on the port any more')
})
