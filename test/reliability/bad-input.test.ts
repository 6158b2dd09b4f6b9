import t, { type Test } from 'tap'
import { useDynamo } from '../helpers/dynamo.js'
import { cli } from '../helpers/child.js'
import { startFaultProxy } from '../helpers/fault-proxy.js'
import { scanTable } from '../helpers/table-state.js'

const dynamo = await useDynamo(t)

/** One OpenCDC JSON line (Conduit's opencdc/json) creating item `id`. */
function line (id: unknown, extra: Record<string, unknown> = {}, operation = 'create'): string {
  return JSON.stringify({
    position: Buffer.from(`pos-${String(id)}`).toString('base64'),
    operation,
    metadata: {},
    key: { id },
    payload: { before: null, after: { id, n: 1, ...extra } }
  })
}

const good = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => line(`ok${from + i}`))

async function write (t: Test, lines: string[], extra: string[] = [], table?: string): Promise<{ code: number | null, stderr: string, table: string }> {
  const name = table ?? await dynamo.createTable()
  const out = await cli(['write', '--table', name, '--endpoint', dynamo.endpoint, '--batch-size', '5', ...extra], { input: lines.join('\n') + '\n' })
  t.equal(out.stdout, '', 'nothing on stdout')
  return { code: out.code, stderr: out.stderr, table: name }
}

/** Every good record before the bad line (ok0 … ok<n-1>) is in the table. */
async function nothingBeforeLost (t: Test, table: string, before: number): Promise<void> {
  const items = await scanTable(dynamo.client, table)
  const missing = Array.from({ length: before }, (_, i) => `ok${i}`).filter((id) => !items.has(id))
  t.same(missing, [], `all ${before} records before the bad one are written`)
}

t.test('a malformed JSON line fails with exit 1 naming its line number, after writing every line before it', async (t) => {
  const { code, stderr, table } = await write(t, [...good(0, 12), '{"position":"cG9z","operation":"create",', ...good(12, 15)])
  t.equal(code, 1)
  t.match(stderr, /line 13\b/)
  t.match(stderr, /invalid JSON/)
  await nothingBeforeLost(t, table, 12)
})

t.test('a key attribute of the wrong type fails with exit 1 naming the record, its key and the expected type', async (t) => {
  const { code, stderr, table } = await write(t, [...good(0, 7), line(42), ...good(7, 9)])
  t.equal(code, 1)
  t.match(stderr, /key attribute "id" must be a string/)
  t.match(stderr, /pos-42/)
  await nothingBeforeLost(t, table, 7)
})

t.test('a record without its key attribute fails with exit 1 naming the record and the missing attribute', async (t) => {
  const missing = JSON.stringify({ position: Buffer.from('pos-nokey').toString('base64'), operation: 'create', metadata: {}, key: { other: 'x' }, payload: { before: null, after: { other: 'x' } } })
  const { code, stderr, table } = await write(t, [...good(0, 6), missing])
  t.equal(code, 1)
  t.match(stderr, /missing key attribute "id"/)
  t.match(stderr, /pos-nokey/)
  await nothingBeforeLost(t, table, 6)
})

t.test('an item over 400 KB fails with exit 1 naming the record and the limit', async (t) => {
  const { code, stderr, table } = await write(t, [...good(0, 11), line('big', { pad: 'x'.repeat(410 * 1024) })])
  t.equal(code, 1)
  t.match(stderr, /400 KB/)
  t.match(stderr, /pos-big/)
  await nothingBeforeLost(t, table, 11)
})

t.test('an unknown operation fails with exit 1 naming the line and the operation', async (t) => {
  const { code, stderr, table } = await write(t, [...good(0, 5), line('up', {}, 'upsert')])
  t.equal(code, 1)
  t.match(stderr, /"upsert"/)
  t.match(stderr, /line 6\b/)
  await nothingBeforeLost(t, table, 5)
})

t.test('an invalid setting value fails with exit 2 naming the setting, before touching DynamoDB', async (t) => {
  const { code, stderr } = await write(t, good(0, 3), ['-s', 'sdk.rate.perSecond=fast'])
  t.equal(code, 2)
  t.match(stderr, /sdk\.rate\.perSecond/)
  t.match(stderr, /fast/)
})

t.test('an unknown setting fails with exit 2 naming it and suggesting the near one', async (t) => {
  const { code, stderr } = await write(t, good(0, 3), ['-s', 'sdk.bach.size=5'])
  t.equal(code, 2)
  t.match(stderr, /sdk\.bach\.size/)
  t.match(stderr, /sdk\.batch\.size/)
})

t.test('an endpoint that is not a URL fails with exit 1 or 2 naming aws.url', async (t) => {
  const table = await dynamo.createTable()
  const { code, stderr } = await cli(['write', '--table', table, '-s', 'aws.url=not a url'], { input: good(0, 3).join('\n') + '\n' })
  t.ok(code === 1 || code === 2, `exit ${code}`)
  t.match(stderr, /aws\.url/)
  t.match(stderr, /not a url/)
})

t.test('an unreachable endpoint fails with exit 1 naming the connection error', async (t) => {
  const table = await dynamo.createTable()
  const out = await cli(['write', '--table', table, '--endpoint', 'http://127.0.0.1:9'], { input: good(0, 3).join('\n') + '\n', timeoutMs: 120_000 })
  t.equal(out.code, 1)
  t.match(out.stderr, /ECONNREFUSED|connect|127\.0\.0\.1:9/)
})

t.test('wrong credentials (UnrecognizedClientException) fail with exit 1 and AWS\'s explanation, not retried forever', async (t) => {
  const proxy = await startFaultProxy({ target: dynamo.endpoint, rules: [{ kind: 'unrecognizedClient' }] })
  t.teardown(() => proxy.close())
  const table = await dynamo.createTable()
  const out = await cli(['write', '--table', table, '--endpoint', proxy.endpoint], { input: good(0, 3).join('\n') + '\n' })
  t.equal(out.code, 1)
  t.match(out.stderr, /UnrecognizedClient|security token/)
  t.ok(proxy.injected.unrecognizedClient <= 5, `gave up after ${proxy.injected.unrecognizedClient} attempt(s)`)
  const read = await cli(['read', '--table', table, '--endpoint', proxy.endpoint, '--snapshot-only'])
  t.equal(read.code, 1)
  t.match(read.stderr, /UnrecognizedClient|security token/)
})

t.test('a missing table fails with exit 1 naming the table, for write and for read', async (t) => {
  const w = await cli(['write', '--table', 'no_such_table', '--endpoint', dynamo.endpoint], { input: good(0, 2).join('\n') + '\n' })
  t.equal(w.code, 1)
  t.match(w.stderr, /no_such_table/)
  const r = await cli(['read', '--table', 'no_such_table', '--endpoint', dynamo.endpoint, '--snapshot-only'])
  t.equal(r.code, 1)
  t.match(r.stderr, /no_such_table/)
})

t.test('reading changes from a table without a stream fails with exit 1 saying the stream is disabled', async (t) => {
  const table = await dynamo.createTable()
  const r = await cli(['read', '--table', table, '--endpoint', dynamo.endpoint, '--skip-snapshot', '--idle-exit', '2s'])
  t.equal(r.code, 1)
  t.match(r.stderr, new RegExp(table))
  t.match(r.stderr, /stream/i)
  const c = await cli(['copy', '--from', table, '--to', await dynamo.createTable(), '--endpoint', dynamo.endpoint, '--until-idle', '2s'])
  t.equal(c.code, 1)
  t.match(c.stderr, /stream/i)
})

t.test('a missing --table is a usage error (exit 2) naming the option', async (t) => {
  const out = await cli(['write', '--endpoint', dynamo.endpoint], { input: '' })
  t.equal(out.code, 2)
  t.match(out.stderr, /table/)
})

t.test('with a dead-letter file, bad lines go there with their error and every good line is written', async (t) => {
  const table = await dynamo.createTable()
  const dir = t.testdir({})
  const dead = `${dir}/dead.jsonl`
  const lines = [...good(0, 4), '{oops', ...good(4, 8), line(7), ...good(8, 10)]
  const out = await cli(['write', '--table', table, '--endpoint', dynamo.endpoint, '--dead-letter', dead], { input: lines.join('\n') + '\n' })
  t.equal(out.code, 3, `done, with dead-lettered lines: exit 3; ${out.stderr}`)
  const items = await scanTable(dynamo.client, table)
  t.equal(items.size, 10, 'all 10 good records written')
  const { readFile } = await import('node:fs/promises')
  const letters = (await readFile(dead, 'utf8')).trim().split('\n')
  t.equal(letters.length, 2, 'both bad inputs dead-lettered')
  const [badLine, badRecord] = letters.map((l) => JSON.parse(l) as { line?: number, text?: string, error: { code: string }, record?: { position: string } })
  t.match(badLine, { line: 5, text: '{oops', error: { code: 'ERR_DDB_INVALID_JSON_LINE' } })
  t.match(badRecord, { record: { position: Buffer.from('pos-7').toString('base64') }, error: { code: 'ERR_DDB_INVALID_KEY' } })
  t.match(out.stderr, /dead\.jsonl/, 'stderr points to the dead-letter file')
})
