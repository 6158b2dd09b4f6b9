import t from 'tap'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { useDynamo } from '../../helpers/dynamo.js'
import { splitSummary } from '../../helpers/summary.js'
import { cli } from './cli.spawn.js'
import { dump, seed } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const line = (id: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ position: Buffer.from(id).toString('base64'), operation: 'create', metadata: {}, key: { id }, payload: { before: null, after: { id, ...extra } } })

t.test('read ends with one summary line on a non-TTY stderr counting what it read and printed', async (t) => {
  const table = await ddb.createTable()
  await seed(ddb.client, table, Array.from({ length: 12 }, (_, i) => ({ id: `k${i}` })))
  const res = await cli(['read', '--table', table, '--snapshot-only'], { env })
  t.equal(res.code, 0, res.stderr)
  const { summaries, rest } = splitSummary(res.stderr)
  t.equal(rest, '')
  t.same(summaries, [{ command: 'read', read: 12, written: 12, deadLettered: 0, exit: 0 }])
  t.equal(res.stdout.trimEnd().split('\n').length, 12, 'the summary counts the lines stdout got')
})

t.test('write with dead-lettered records says so in its summary and exits 3', async (t) => {
  const table = await ddb.createTable()
  const dir = t.testdir({})
  const input = [line('a'), 'not json', line('b', { big: 'x'.repeat(410 * 1024) }), line('c')].join('\n') + '\n'
  const res = await cli(['write', '--table', table, '--dead-letter', path.join(dir, 'dead.jsonl')], { env, input })
  t.equal(res.code, 3, res.stderr)
  t.same(splitSummary(res.stderr).summaries, [{ command: 'write', read: 4, written: 2, deadLettered: 2, exit: 3 }])
  t.equal((await dump(ddb.client, table)).length, 2, 'the table holds the 2 records the summary calls written')
})

t.test('a failing write still ends with its summary, after the error', async (t) => {
  const table = await ddb.createTable()
  const res = await cli(['write', '--table', table], { env, input: [line('a'), line('b'), '{oops', line('c')].join('\n') + '\n' })
  t.equal(res.code, 1)
  t.match(res.stderr, /write: line 3[^\n]*\n[\s\S]*dynamodb-opencdc write summary: 3 read, 2 written, 0 dead-lettered, [\d.]+ s, exit 1\n$/)
})

t.test('copy counts the records it read and wrote', async (t) => {
  const from = await ddb.createTable()
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 40 }, (_, i) => ({ id: `c${i}` })))
  const res = await cli(['copy', '--from', from, '--to', to, '--snapshot-only'], { env })
  t.equal(res.code, 0, res.stderr)
  t.same(splitSummary(res.stderr).summaries, [{ command: 'copy', read: 40, written: 40, deadLettered: 0, exit: 0 }])
  t.equal((await dump(ddb.client, to)).length, 40)
})

t.test('--quiet drops the summary; usage errors and --help print none', async (t) => {
  const table = await ddb.createTable()
  const dir = t.testdir({})
  const quiet = await cli(['write', '--table', table, '-q', '--dead-letter', path.join(dir, 'd.jsonl')], { env, input: 'nope\n' })
  t.equal(quiet.code, 3, 'still exit 3')
  t.equal(quiet.stderr, '', 'nothing on stderr with --quiet')
  const usage = await cli(['write'], { env, input: '' })
  t.equal(usage.code, 2)
  t.same(splitSummary(usage.stderr).summaries, [])
  const help = await cli(['read', '--help'], { env })
  t.equal(help.stderr, '')
})

t.test('run counts every record its destinations wrote', async (t) => {
  const table = await ddb.createTable()
  const dir = t.testdir({})
  const file = path.join(dir, 'in.jsonl')
  writeFileSync(file, [line('x'), line('y'), line('z')].join('\n') + '\n')
  const yaml = path.join(dir, 'p.yaml')
  writeFileSync(yaml, `version: 2.2\npipelines:\n  - id: p\n    connectors:\n      - { id: in, type: source, plugin: builtin:file, settings: { path: ${file} } }\n      - { id: out, type: destination, plugin: dynamodb, settings: { table: ${table}, aws.url: "${ddb.endpoint}" } }\n`)
  const res = await cli(['run', yaml], { env })
  t.equal(res.code, 0, res.stderr)
  t.same(splitSummary(res.stderr).summaries, [{ command: 'run', read: 3, written: 3, deadLettered: 0, exit: 0 }])
  t.equal((await dump(ddb.client, table)).length, 3)
})
