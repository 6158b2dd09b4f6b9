import t from 'tap'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { useDynamo } from '../../helpers/dynamo.js'
import { cli } from './cli.spawn.js'
import { dump } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const dir = mkdtempSync(path.join(tmpdir(), 'cli-rw-'))

t.test('write reports a malformed line with its number and exits 1, keeping the lines before it', async (t) => {
  const table = await ddb.createTable()
  const good = (id: string): string => JSON.stringify({ position: Buffer.from(id).toString('base64'), operation: 'create', metadata: {}, key: { id }, payload: { before: null, after: { id, v: 1 } } })
  const res = await cli(['write', '--table', table], { env, input: [good('a'), good('b'), '{"operation": "create", oops', good('c')].join('\n') + '\n' })
  t.equal(res.code, 1)
  t.match(res.stderr, /dynamodb-opencdc write: line 3/)
  const items = await dump(ddb.client, table)
  t.ok(items.some((i) => i.includes('"a"')) && items.some((i) => i.includes('"b"')), 'the lines before the bad one were written')
})

t.test('write --dead-letter collects bad lines and unwritable records, goes on, and exits 3', async (t) => {
  const table = await ddb.createTable()
  const dead = path.join(dir, 'dead.jsonl')
  const line = (id: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ position: Buffer.from(id).toString('base64'), operation: 'create', metadata: {}, key: { id }, payload: { before: null, after: { id, ...extra } } })
  const input = [line('a'), 'not json', line('b', { big: 'x'.repeat(410 * 1024) }), line('c')].join('\n') + '\n'
  const file = path.join(dir, 'in.jsonl')
  writeFileSync(file, input)
  const res = await cli(['write', '--table', table, '--input', file, '--dead-letter', dead], { env })
  t.equal(res.code, 3, `dead-lettered records exit 3: ${res.stderr}`)
  t.match(res.stderr, /2 records or lines could not be written; see .*dead\.jsonl/)
  const rows = readFileSync(dead, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { error: { message: string }, line?: number, record?: { key: { id: string } } })
  t.equal(rows.length, 2)
  t.equal(rows.find((r) => r.line !== undefined)?.line, 2)
  t.equal(rows.find((r) => r.record !== undefined)?.record?.key.id, 'b')
  t.equal((await dump(ddb.client, table)).length, 2, 'a and c were written')
})

t.test('write --rate limits the records per second', async (t) => {
  const table = await ddb.createTable()
  const input = Array.from({ length: 100 }, (_, i) => JSON.stringify({ position: null, operation: 'snapshot', metadata: {}, key: { id: `r${i}` }, payload: { before: null, after: { id: `r${i}` } } })).join('\n') + '\n'
  const started = Date.now()
  const res = await cli(['write', '--table', table, '--rate', '50', '--burst', '10'], { env, input })
  const secs = (Date.now() - started) / 1000
  t.equal(res.code, 0, res.stderr)
  t.equal((await dump(ddb.client, table)).length, 100)
  t.ok(secs >= 1.5 && secs < 10, `100 records at 50/s took ${secs.toFixed(1)} s`)
})

t.test('a bad destination setting given with -s exits 2 naming it', async (t) => {
  const res = await cli(['write', '--table', 'whatever', '-s', 'sdk.batch.size=lots'], { env, input: '' })
  t.equal(res.code, 2)
  t.match(res.stderr, /sdk\.batch\.size: expected an integer/)
  const unknown = await cli(['read', '--table', 'whatever', '-s', 'sdk.batch.sise=1'], { env })
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /unknown option "sdk\.batch\.sise" \(did you mean "sdk\.batch\.size"\?\)/)
})

t.test('Ctrl-C stops write cleanly: what it read is written, exit 0', async (t) => {
  const table = await ddb.createTable()
  const run = cli(['write', '--table', table, '--batch-delay', '10s', '--batch-size', '25'], { env, openStdin: true })
  const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ position: null, operation: 'create', metadata: {}, key: { id: `s${i}` }, payload: { before: null, after: { id: `s${i}` } } })).join('\n') + '\n'
  run.child.stdin?.write(lines)
  // Time to start and read the lines (a loaded CI machine needed more than 1.5 s); nothing is written before Ctrl-C (--batch-delay 10s).
  await new Promise((resolve) => setTimeout(resolve, 6000))
  run.child.kill('SIGINT')
  const res = await run
  t.equal(res.code, 0, res.stderr)
  t.equal((await dump(ddb.client, table)).length, 40, 'the pending batch was flushed before exit')
})
