import t from 'tap'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { cli } from './cli.spawn.js'

// None of these reach DynamoDB: a usage error is reported before anything connects.
const NO_DYNAMO = { DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' }

t.test('an unknown command exits 2 and lists the commands', async (t) => {
  const r = await cli(['raed'], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /unknown command "raed" \(did you mean "read"\?\)/)
  t.match(r.stderr, /commands: demo, local, read, write, copy, run, bench/)
  t.match(r.stderr, /Run "dynamodb-opencdc --help"/)
  t.equal(r.stdout, '')
})

t.test('no command prints the overview on stderr and exits 2', async (t) => {
  const r = await cli([], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /Usage: dynamodb-opencdc <command>/)
})

t.test('an unknown flag exits 2 and points to the command help', async (t) => {
  const r = await cli(['read', '--table', 'x', '--bogus'], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /dynamodb-opencdc read: Unknown option '--bogus'/)
  t.match(r.stderr, /Run "dynamodb-opencdc read --help" for usage and examples/)
})

t.test('a flag without its value exits 2', async (t) => {
  const r = await cli(['write', '--table'], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /--table <value>' argument missing/)
})

t.test('a -s without key=value exits 2 naming the pair', async (t) => {
  const r = await cli(['read', '--table', 'x', '-s', 'sdk.batch.size'], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /-s expects key=value .*got "sdk.batch.size"/)
})

t.test('a missing --table exits 2', async (t) => {
  for (const cmd of ['read', 'write']) {
    const r = await cli([cmd], { env: NO_DYNAMO })
    t.equal(r.code, 2, cmd)
    t.match(r.stderr, /--table is required/, cmd)
  }
  const r = await cli(['copy', '--from', 'a'], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /--from and --to are required/)
})

t.test('bad numbers and durations in flags exit 2 naming the flag', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['read', '--table', 'x', '--max-records', 'ten'], /--max-records expects a whole number ≥ 1, got "ten"/],
    [['read', '--table', 'x', '--idle-exit', '5 minutes'], /--idle-exit expects a duration with a unit, like 10s/],
    [['write', '--table', 'x', '--rate=-3'], /--rate expects a positive number, got "-3"/],
    [['write', '--table', 'x', '--batch-delay', 'soon'], /--batch-delay expects a duration/],
    [['local', '--port', '99999999999999999999'], /--port expects a whole number/],
    [['copy', '--from', 'a', '--to', 'b', '--until-idle', 'x'], /--until-idle expects a duration/]
  ]
  for (const [args, re] of cases) {
    const r = await cli(args, { env: NO_DYNAMO })
    t.equal(r.code, 2, args.join(' '))
    t.match(r.stderr, re, args.join(' '))
  }
})

t.test('the same option as a flag and as a -s setting exits 2', async (t) => {
  const r = await cli(['read', '--table', 'x', '--endpoint', 'http://127.0.0.1:1', '-s', 'aws.url=http://127.0.0.1:2'], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /--endpoint and -s aws.url=… set the same option; give only one/)
  const f = await cli(['read', '--table', 'x', '--format', 'debezium/json', '-s', 'sdk.record.format=opencdc/json'], { env: NO_DYNAMO })
  t.equal(f.code, 2)
  t.match(f.stderr, /--format and -s sdk.record.format=… set the same option/)
})

t.test('write rejects input format options it does not know', async (t) => {
  const r = await cli(['write', '--table', 'x', '--format-options', 'position.excluded=true'], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /the only input options are opencdc.dynamodbJson=true\|false and opencdc.typeHints=true\|false/)
})

t.test('run without a file, or with an unreadable one, exits 2', async (t) => {
  const none = await cli(['run'], { env: NO_DYNAMO })
  t.equal(none.code, 2)
  t.match(none.stderr, /expected one pipeline file, got none/)
  const missing = await cli(['run', '/nonexistent/pipeline.yaml'], { env: NO_DYNAMO })
  t.equal(missing.code, 2)
  t.match(missing.stderr, /cannot read the pipeline file \/nonexistent\/pipeline.yaml/)
})

t.test('run with an unsupported plugin exits 2 naming the file line and connector', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-usage-'))
  const file = path.join(dir, 'pipeline.yaml')
  writeFileSync(file, [
    'version: 2.2',
    'pipelines:',
    '  - id: p1',
    '    connectors:',
    '      - id: src',
    '        type: source',
    '        plugin: builtin:postgres',
    '      - id: dst',
    '        type: destination',
    '        plugin: builtin:file',
    '        settings: { path: out.jsonl }',
    ''
  ].join('\n'))
  const r = await cli(['run', file], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /pipeline\.yaml:7 \(pipelines\[0\]\.connectors\[0\]\.plugin\): connector "src": plugin "builtin:postgres" is not supported/)
  t.match(r.stderr, /Run "dynamodb-opencdc run --help"|supported plugins: dynamodb/)
})

t.test('every command has --help with usage and examples, on stdout, exit 0', async (t) => {
  for (const cmd of ['demo', 'local', 'read', 'write', 'copy', 'run']) {
    const r = await cli([cmd, '--help'], { env: NO_DYNAMO })
    t.equal(r.code, 0, cmd)
    t.match(r.stdout, new RegExp(`^Usage: dynamodb-opencdc ${cmd}`), cmd)
    t.match(r.stdout, /\nExamples?:\n/, cmd)
    t.equal(r.stderr, '', cmd)
  }
  const top = await cli(['--help'], { env: NO_DYNAMO })
  t.equal(top.code, 0)
  t.match(top.stdout, /Exit codes: 0 done/)
})

t.test('--version prints the package version', async (t) => {
  const r = await cli(['--version'])
  t.equal(r.code, 0)
  t.match(r.stdout, /^\d+\.\d+\.\d+\n$/)
})

t.test('an unknown record format or a template without text exits 2', async (t) => {
  const bad = await cli(['read', '--table', 'x', '--format', 'xml'], { env: NO_DYNAMO })
  t.equal(bad.code, 2)
  t.match(bad.stderr, /sdk\.record\.format: expected one of opencdc\/json, debezium\/json, template, got "xml"/)
  const tpl = await cli(['read', '--table', 'x', '--format', 'template'], { env: NO_DYNAMO })
  t.equal(tpl.code, 2)
  t.match(tpl.stderr, /must hold the Go template/)
})

t.test('copy of a table onto itself exits 2', async (t) => {
  const r = await cli(['copy', '--from', 'orders', '--to', 'orders'], { env: NO_DYNAMO })
  t.equal(r.code, 2)
  t.match(r.stderr, /--from and --to name the same table \(orders\)/)
  const other = await cli(['copy', '--from', 'orders', '--to', 'orders', '--to-endpoint', 'http://127.0.0.1:2', '--until-idle', 'x'], { env: NO_DYNAMO })
  t.match(other.stderr, /--until-idle expects a duration/, 'different endpoints are allowed')
})
