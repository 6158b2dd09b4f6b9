import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { withoutSummary } from '../../helpers/summary.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { BIN_PATH, cli, waitForOutput } from './cli.spawn.js'
import { seed } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const dir = mkdtempSync(path.join(tmpdir(), 'cli-rw-'))

t.test('read prints one opencdc/json line per item on stdout and nothing else', async (t) => {
  const table = await ddb.createTable()
  await seed(ddb.client, table, Array.from({ length: 30 }, (_, i) => ({ id: `k${i}`, v: i })))
  const res = await cli(['read', '--table', table, '--snapshot-only'], { env })
  t.equal(res.code, 0, res.stderr)
  const lines = res.stdout.trimEnd().split('\n')
  t.equal(lines.length, 30)
  const docs = lines.map((l) => JSON.parse(l) as { operation: string, key: { id: string }, payload: { after: { v: number } }, metadata: Record<string, string> })
  t.ok(docs.every((d) => d.operation === 'snapshot' && d.metadata['opencdc.collection'] === table))
  t.same(docs.map((d) => d.key.id).sort(), Array.from({ length: 30 }, (_, i) => `k${i}`).sort())
  t.equal(withoutSummary(res.stderr), '', 'no logs or progress on a non-TTY stderr, only the summary line')
})

t.test('read honours --format debezium/json, template, and -s sdk.record.format', async (t) => {
  const table = await ddb.createTable()
  await seed(ddb.client, table, [{ id: 'only', price: 9.5 }])
  const deb = await cli(['read', '--table', table, '--snapshot-only', '--format', 'debezium/json'], { env })
  t.equal(deb.code, 0, deb.stderr)
  const doc = JSON.parse(deb.stdout) as { payload: { op: string, after: { price: number } } }
  t.equal(doc.payload.op, 'r')
  t.equal(doc.payload.after.price, 9.5)
  const tpl = await cli(['read', '--table', table, '--snapshot-only', '--format', 'template', '--format-options', '{{ .Payload.After.id }} costs {{ .Payload.After.price }}'], { env })
  t.equal(tpl.stdout, 'only costs 9.5\n', tpl.stderr)
  const viaSetting = await cli(['read', '--table', table, '--snapshot-only', '-s', 'sdk.record.format=debezium/json'], { env })
  t.equal(viaSetting.code, 0, viaSetting.stderr)
  t.match(viaSetting.stdout, /^\{"schema":.*"op":"r"/, 'the same format through -s')
})

t.test('read --max-records stops early with exit 0', async (t) => {
  const table = await ddb.createTable()
  await seed(ddb.client, table, Array.from({ length: 200 }, (_, i) => ({ id: `k${i}` })))
  const res = await cli(['read', '--table', table, '--snapshot-only', '--max-records', '7'], { env })
  t.equal(res.code, 0, res.stderr)
  t.equal(res.stdout.trimEnd().split('\n').length, 7)
})

t.test('read ends quietly with exit 0 when the reader of its stdout goes away (| head)', async (t) => {
  const table = await ddb.createTable()
  await seed(ddb.client, table, Array.from({ length: 5000 }, (_, i) => ({ id: `k${i}`, pad: 'x'.repeat(200) })))
  const child = spawn('sh', ['-c', `"${process.execPath}" "${BIN_PATH}" read --table ${table} --snapshot-only | head -n 3; echo "read=\${PIPESTATUS:-$?}" >&2`], { env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  await new Promise((resolve) => child.on('close', resolve))
  t.equal(stdout.trimEnd().split('\n').length, 3)
  t.notMatch(stderr, /EPIPE|Error|error/, 'no error printed')
})

t.test('read exits 0 after EPIPE (its own exit code, seen directly)', async (t) => {
  const table = await ddb.createTable()
  await seed(ddb.client, table, Array.from({ length: 5000 }, (_, i) => ({ id: `k${i}`, pad: 'x'.repeat(200) })))
  const child = spawn(process.execPath, [BIN_PATH, 'read', '--table', table, '--snapshot-only'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  child.stdout.once('data', () => child.stdout.destroy())
  const code = await new Promise((resolve) => child.on('close', resolve))
  t.equal(code, 0, stderr)
  t.equal(withoutSummary(stderr), '', 'nothing but the summary line')
})

t.test('read --checkpoint resumes a stopped snapshot instead of starting over', async (t) => {
  const table = await ddb.createTable()
  const n = 3000
  await seed(ddb.client, table, Array.from({ length: n }, (_, i) => ({ id: `k${i}` })))
  const ckpt = path.join(dir, 'resume.json')
  const args = ['read', '--table', table, '--snapshot-only', '--checkpoint', ckpt, '-s', 'snapshot.limit=100', '-s', 'checkpoint.interval=0s']
  const first = await cli([...args, '--max-records', '1000'], { env })
  t.equal(first.code, 0, first.stderr)
  const second = await cli(args, { env })
  t.equal(second.code, 0, second.stderr)
  const keys = (out: string): string[] => out.trimEnd().split('\n').map((l) => (JSON.parse(l) as { key: { id: string } }).key.id)
  const a = keys(first.stdout)
  const b = keys(second.stdout)
  t.equal(a.length, 1000)
  t.ok(b.length < n, `the second run read ${b.length} records, not all ${n}`)
  t.ok(b.length <= n - 1000 + 100, 'it re-read at most one page')
  t.equal(new Set([...a, ...b]).size, n, 'together they cover every item')
  const third = await cli(args, { env })
  t.equal(third.stdout, '', 'a finished snapshot is not read again')
})

t.test('Ctrl-C stops read cleanly: exit 0, checkpoint saved, the next run goes on from it', async (t) => {
  const table = await ddb.createTable()
  const n = 2000
  await seed(ddb.client, table, Array.from({ length: n }, (_, i) => ({ id: `k${i}` })))
  const ckpt = path.join(dir, 'sigint.json')
  const args = ['read', '--table', table, '--snapshot-only', '--checkpoint', ckpt, '-s', 'snapshot.limit=50']
  // The reader (this test) keeps every line it got, so no ack window is needed (a pipe gets 4 MiB by default).
  const run = cli([...args, '-s', 'snapshot.rate.items=200', '--ack-lag', '0'], { env })
  await waitForOutput(run.child, /(.*\n){100}/)
  run.child.kill('SIGINT')
  const first = await run
  t.equal(first.code, 0, first.stderr)
  t.ok(existsSync(ckpt), 'the checkpoint file exists')
  const a = first.stdout.trimEnd().split('\n')
  t.ok(a.length < n, `stopped early after ${a.length} records`)
  const second = await cli(args, { env })
  t.equal(second.code, 0, second.stderr)
  const ids = (lines: string[]): string[] => lines.map((l) => (JSON.parse(l) as { key: { id: string } }).key.id)
  const b = second.stdout.trimEnd().split('\n')
  t.ok(b.length < n, `the second run read ${b.length} records, not all ${n}`)
  t.equal(new Set([...ids(a), ...ids(b)]).size, n, 'together they cover every item')
})
