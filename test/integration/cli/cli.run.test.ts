import t from 'tap'
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { toAttributeMap } from '../../../src/model/codec.js'
import { PreciseNumber } from '../../../src/model/record.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { cli, waitForOutput } from './cli.spawn.js'
import { dump, seed } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const dir = mkdtempSync(path.join(tmpdir(), 'cli-run-'))

function pipelineFile (name: string, yaml: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, yaml)
  return file
}

t.test('runs a dynamodb source into a builtin:file destination, settings as in the seed README', async (t) => {
  const table = await ddb.createTable()
  await seed(ddb.client, table, Array.from({ length: 120 }, (_, i) => ({ id: `k${i}`, n: i, big: new PreciseNumber('1234567890123456789012345678901234.5678') })))
  const out = path.join(dir, 'out.jsonl')
  const file = pipelineFile('to-file.yaml', `version: 2.2
pipelines:
  - id: to-file
    status: running
    connectors:
      - id: src
        type: source
        plugin: "dynamodb"
        settings:
          aws.region: "us-east-1"
          aws.url: "\${DYNAMODB_ENDPOINT}"
          table: "${table}"
          discoveryPollingPeriod: "10s"
          recordsPollingPeriod: 1s
          skipSnapshot: false
          snapshot.only: true
          sdk.batch.size: 0
      - id: dst
        type: destination
        plugin: builtin:file
        settings:
          path: ${out}
`)
  const res = await cli(['run', file], { env })
  t.equal(res.code, 0, res.stderr)
  t.equal(res.stdout, '', 'data goes to the file, not stdout')
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n')
  t.equal(lines.length, 120)
  t.ok(lines.every((l) => l.includes('"big":1234567890123456789012345678901234.5678')), 'every digit kept')
  t.same(lines.map((l) => (JSON.parse(l) as { key: { id: string } }).key.id).sort(), Array.from({ length: 120 }, (_, i) => `k${i}`).sort())
})

t.test('runs a builtin:file source into a dynamodb destination', async (t) => {
  const table = await ddb.createTable()
  const input = path.join(dir, 'in.jsonl')
  writeFileSync(input, Array.from({ length: 60 }, (_, i) => JSON.stringify({ position: null, operation: 'create', metadata: {}, key: { id: `f${i}` }, payload: { before: null, after: { id: `f${i}`, n: i } } })).join('\n') + '\n')
  const file = pipelineFile('from-file.yaml', `version: 2.2
pipelines:
  - id: from-file
    connectors:
      - { id: in, type: source, plugin: builtin:file, settings: { path: ${input} } }
      - { id: out, type: destination, plugin: dynamodb, settings: { table: ${table}, sdk.batch.size: 10, sdk.rate.perSecond: 0 } }
`)
  const res = await cli(['run', file], { env })
  t.equal(res.code, 0, res.stderr)
  const items = await dump(ddb.client, table)
  t.equal(items.length, 60)
  t.ok(items.includes(JSON.stringify({ id: { S: 'f7' }, n: { N: '7' } })))
})

t.test('runs a table-to-table pipeline and a second pipeline from the same file', async (t) => {
  const from = await ddb.createTable()
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 80 }, (_, i) => ({ id: `c${i}`, tags: new Set(['a', `t${i}`]) })))
  const copy = path.join(dir, 'copy.jsonl')
  const file = pipelineFile('two.yaml', `version: 2.2
pipelines:
  - id: table-to-table
    connectors:
      - { id: src, type: source, plugin: builtin:dynamodb, settings: { table: ${from}, snapshot.only: "true" } }
      - { id: dst, type: destination, plugin: standalone:conduit-connector-dynamodb, settings: { table: ${to} } }
      - { id: file, type: destination, plugin: builtin:file, settings: { path: ${copy}, sdk.record.format: debezium/json } }
  - id: parked
    status: stopped
`)
  const res = await cli(['run', file], { env })
  t.equal(res.code, 0, res.stderr)
  t.same(await dump(ddb.client, to), await dump(ddb.client, from), 'every source record reached the table destination')
  t.equal(readFileSync(copy, 'utf8').trimEnd().split('\n').filter((l) => l.includes('"op":"r"')).length, 80, 'and the debezium file destination')
})

t.test('an unknown setting of a dynamodb connector exits 2 naming the connector and the setting', async (t) => {
  const file = pipelineFile('typo.yaml', `version: 2.2
pipelines:
  - id: p
    connectors:
      - { id: src, type: source, plugin: dynamodb, settings: { table: x, skipSnaphot: "true" } }
      - { id: dst, type: destination, plugin: builtin:file, settings: { path: ${path.join(dir, 'never.jsonl')} } }
`)
  const res = await cli(['run', file], { env })
  t.equal(res.code, 2)
  t.match(res.stderr, /connector "p:src": .*unknown option "skipSnaphot" \(did you mean "skipSnapshot"\?\)/)
})

t.test('processors in a pipeline file exit 2 with the line', async (t) => {
  const file = pipelineFile('proc.yaml', `version: 2.2
pipelines:
  - id: p
    connectors:
      - { id: src, type: source, plugin: dynamodb, settings: { table: x } }
      - { id: dst, type: destination, plugin: builtin:file, settings: { path: o.jsonl } }
    processors:
      - { id: upper, plugin: field.convert }
`)
  const res = await cli(['run', file], { env })
  t.equal(res.code, 2)
  t.match(res.stderr, /proc\.yaml:8 \(pipelines\[0\]\.processors\): pipeline "p": processors are not supported/)
})

t.test('a runtime failure (missing table) exits 1 with the AWS error', async (t) => {
  const file = pipelineFile('missing.yaml', `version: 2.2
pipelines:
  - id: p
    connectors:
      - { id: src, type: source, plugin: dynamodb, settings: { table: no_such_table, snapshot.only: "true" } }
      - { id: dst, type: destination, plugin: builtin:file, settings: { path: ${path.join(dir, 'none.jsonl')} } }
`)
  const res = await cli(['run', file], { env })
  t.equal(res.code, 1)
  t.match(res.stderr, /no_such_table|ResourceNotFound|non-existent table/i)
})

t.test('runs a dynamodb → dynamodb pipeline through the change phase, checkpointed in --checkpoint-dir', async (t) => {
  const from = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 50 }, (_, i) => ({ id: `k${i}` })))
  const file = pipelineFile('live.yaml', `version: 2.2
pipelines:
  - id: live
    connectors:
      - { id: src, type: source, plugin: dynamodb, settings: { table: ${from}, recordsPollingPeriod: 200ms } }
      - { id: dst, type: destination, plugin: dynamodb, settings: { table: ${to} } }
`)
  const ckptDir = path.join(dir, 'ckpt')
  const run = cli(['run', file, '--until-idle', '4s', '--checkpoint-dir', ckptDir, '-v'], { env })
  await waitForOutput(run.child, /snapshot scan complete: 50 items read; changes follow/, 30_000, 'stderr')
  await seed(ddb.client, from, [{ id: 'live-1', v: 1 }, { id: 'k3', v: 2 }])
  await ddb.client.send(new DeleteItemCommand({ TableName: from, Key: toAttributeMap({ id: 'k4' }) }))
  const res = await run
  t.equal(res.code, 0, res.stderr)
  t.same(await dump(ddb.client, to), await dump(ddb.client, from), 'the destination got the snapshot and the changes')
  t.ok(existsSync(path.join(ckptDir, 'live.src.json')), 'a checkpoint per DynamoDB source')
})
