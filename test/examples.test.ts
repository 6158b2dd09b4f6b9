import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { useDynamo, type TestDynamo } from './helpers/dynamo.js'
import { assertFreshDist } from './helpers/fresh-dist.js'
import { dump, seed } from './integration/cli/cli.tables.js'

// The README's library examples live in examples/ and run here, so they cannot rot.
const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url))
// The examples import the package, that is dist/.
assertFreshDist()
const ddb = await useDynamo(t)
const dir = mkdtempSync(path.join(tmpdir(), 'examples-'))

function runExample (file: string, env: Record<string, string>): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [path.join(EXAMPLES, file)], {
    cwd: dir,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', DYNAMODB_ENDPOINT: ddb.endpoint, ...env }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

const ORDERS = Array.from({ length: 50 }, (_, i) => ({ id: `order-${i}`, total: i + 0.25, tags: new Set(['a', `t${i}`]) }))
const line = (id: string, op = 'create'): string => JSON.stringify({ position: Buffer.from(id).toString('base64'), operation: op, metadata: {}, key: { id }, payload: { before: null, after: op === 'delete' ? null : { id, n: 1 } } })

type Check = (t: Test, ddb: TestDynamo) => Promise<void>
const CASES: Record<string, Check> = {
  'table-to-file.mjs': async (t, ddb) => {
    const table = await ddb.createTable()
    await seed(ddb.client, table, ORDERS)
    const out = path.join(dir, 'orders.jsonl')
    const r = await runExample('table-to-file.mjs', { TABLE: table, OUT: out })
    t.equal(r.code, 0, r.stderr)
    const ids = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { key: { id: string } }).key.id)
    t.same(ids.sort(), ORDERS.map((o) => o.id).sort())
  },
  'table-to-durable-file.mjs': async (t, ddb) => {
    const table = await ddb.createTable()
    await seed(ddb.client, table, ORDERS)
    const out = path.join(dir, 'durable.jsonl')
    const checkpoint = path.join(dir, 'durable.ckpt')
    const r = await runExample('table-to-durable-file.mjs', { TABLE: table, OUT: out, CHECKPOINT: checkpoint })
    t.equal(r.code, 0, r.stderr)
    const ids = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { key: { id: string } }).key.id)
    t.same(ids.sort(), ORDERS.map((o) => o.id).sort(), 'every item, once')
    t.match(JSON.parse(readFileSync(checkpoint, 'utf8')), { snapshot: { done: true } }, 'acknowledged through the sink: the checkpoint says done')
  },
  'file-to-table.mjs': async (t, ddb) => {
    const table = await ddb.createTable()
    const input = path.join(dir, 'changes.jsonl')
    writeFileSync(input, [line('a'), line('b'), line('c'), line('b', 'delete')].join('\n') + '\n')
    const r = await runExample('file-to-table.mjs', { IN: input, TABLE: table })
    t.equal(r.code, 0, r.stderr)
    t.same(await dump(ddb.client, table), [JSON.stringify({ id: { S: 'a' }, n: { N: '1' } }), JSON.stringify({ id: { S: 'c' }, n: { N: '1' } })])
  },
  'table-to-table.mjs': async (t, ddb) => {
    const from = await ddb.createTable()
    const to = await ddb.createTable()
    await seed(ddb.client, from, ORDERS)
    const checkpoint = path.join(dir, 'copy.ckpt')
    const r = await runExample('table-to-table.mjs', { FROM: from, TO: to, CHECKPOINT: checkpoint })
    t.equal(r.code, 0, r.stderr)
    t.same(await dump(ddb.client, to), await dump(ddb.client, from))
    t.match(JSON.parse(readFileSync(checkpoint, 'utf8')), { snapshot: { done: true } }, 'the checkpoint says every record was written')
  },
  'bulk-load.mjs': async (t, ddb) => {
    const table = await ddb.createTable()
    const r = await runExample('bulk-load.mjs', { TABLE: table, COUNT: '300', RATE: '150' })
    t.equal(r.code, 0, r.stderr)
    t.match(r.stdout, /loaded 300 items in/)
    const secs = Number(/in ([\d.]+) s/.exec(r.stdout)?.[1])
    t.ok(secs >= 1 && secs < 8, `300 items at 150/s (burst 50) took ${secs} s`)
    t.equal((await dump(ddb.client, table)).length, 300)
  },
  'to-tcp-socket.mjs': async (t, ddb) => {
    const table = await ddb.createTable()
    await seed(ddb.client, table, ORDERS)
    let received = ''
    const server = net.createServer((socket) => socket.on('data', (c: Buffer) => { received += c.toString() }))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const r = await runExample('to-tcp-socket.mjs', { TABLE: table, PORT: String((server.address() as net.AddressInfo).port) })
    await new Promise((resolve) => setTimeout(resolve, 100))
    server.close()
    t.equal(r.code, 0, r.stderr)
    const docs = received.trimEnd().split('\n').map((l) => JSON.parse(l) as { payload: { op: string, after: { id: string } } })
    t.equal(docs.length, ORDERS.length)
    t.ok(docs.every((d) => d.payload.op === 'r'))
  }
}

const files = readdirSync(EXAMPLES).filter((f) => /\.(mjs|js|ts)$/.test(f)).sort()
t.test('every example in examples/ has a test here', async (t) => {
  t.same(files, Object.keys(CASES).sort())
})
t.test('the README shows every example exactly as the file has it', async (t) => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
  for (const file of files) {
    const code = readFileSync(path.join(EXAMPLES, file), 'utf8').split('\n').slice(2).join('\n').trim()
    t.ok(readme.includes('```js\n' + code + '\n```'), `README.md has examples/${file}`)
  }
})

for (const file of files) {
  const check = CASES[file]
  if (check !== undefined) t.test(`examples/${file} runs and does what it says`, async (t) => { await check(t, ddb) })
}
