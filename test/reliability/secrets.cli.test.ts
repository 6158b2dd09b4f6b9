import t from 'tap'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { useDynamo } from '../helpers/dynamo.js'
import { cli } from '../helpers/child.js'
import { startFaultProxy } from '../helpers/fault-proxy.js'
import { fillTable } from '../helpers/mutator.js'
import { ACCESS_KEY, SECRET, TOKEN, assertNoSecret } from '../helpers/secrets.js'

const CREDENTIALS = ['-s', `aws.accessKeyId=${ACCESS_KEY}`, '-s', `aws.secretAccessKey=${SECRET}`, '-s', `aws.sessionToken=${TOKEN}`]

const dynamo = await useDynamo(t)
const source = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
await fillTable(dynamo.client, source, 60, 5)

async function filesUnder (dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    out.push(...(entry.isDirectory() ? await filesUnder(full) : [full]))
  }
  return out
}

t.test('a verbose read with static credentials and a checkpoint leaks no secret to stdout, stderr or the checkpoint', async (t) => {
  const dir = t.testdir({})
  const checkpoint = path.join(dir, 'read.ckpt.json')
  const out = await cli(['read', '--table', source, '--endpoint', dynamo.endpoint, '--snapshot-only', '--checkpoint', checkpoint, '--verbose', ...CREDENTIALS])
  t.equal(out.code, 0, out.stderr)
  t.equal(out.stdout.trim().split('\n').length, 60, 'the read worked')
  t.ok(out.stderr.length > 0, 'verbose logging wrote something')
  assertNoSecret(t, 'stderr', out.stderr)
  assertNoSecret(t, 'stdout', out.stdout)
  const files = await filesUnder(dir)
  t.ok(files.length > 0, 'a checkpoint was written')
  for (const f of files) assertNoSecret(t, `checkpoint file ${path.basename(f)}`, await readFile(f, 'utf8'))
})

t.test('a verbose copy with static credentials leaks no secret to its logs or checkpoint', async (t) => {
  const dir = t.testdir({})
  const checkpoint = path.join(dir, 'copy.ckpt.json')
  const dest = await dynamo.createTable()
  const out = await cli(['copy', '--from', source, '--to', dest, '--endpoint', dynamo.endpoint, '--checkpoint', checkpoint, '--until-idle', '1s', '--verbose', ...CREDENTIALS,
    '-d', `aws.accessKeyId=${ACCESS_KEY}`, '-d', `aws.secretAccessKey=${SECRET}`, '-d', `aws.sessionToken=${TOKEN}`])
  t.equal(out.code, 0, out.stderr)
  assertNoSecret(t, 'stderr', out.stderr)
  assertNoSecret(t, 'stdout', out.stdout)
  for (const f of await filesUnder(dir)) assertNoSecret(t, `checkpoint file ${path.basename(f)}`, await readFile(f, 'utf8'))
})

t.test('failures reported with static credentials and --verbose (stack and causes) leak no secret', async (t) => {
  const proxy = await startFaultProxy({ target: dynamo.endpoint, rules: [{ kind: 'unrecognizedClient' }] })
  t.teardown(() => proxy.close())
  const denied = await cli(['read', '--table', source, '--endpoint', proxy.endpoint, '--snapshot-only', '--verbose', ...CREDENTIALS])
  t.equal(denied.code, 1)
  t.match(denied.stderr, /UnrecognizedClient|security token/)
  t.match(denied.stderr, /aws \w+: \{ '?\$metadata'?: \{ httpStatusCode: 400/, 'verbose printed the SDK error\'s hidden $metadata and $response')
  t.match(denied.stderr, /\$response'?: HttpResponse \{ statusCode: 400/)
  assertNoSecret(t, 'stderr of a rejected read', denied.stderr)
  const missing = await cli(['write', '--table', 'no_such_table', '--endpoint', dynamo.endpoint, '--verbose', ...CREDENTIALS], { input: '' })
  t.equal(missing.code, 1)
  assertNoSecret(t, 'stderr of a write to a missing table', missing.stderr)
  const badRecord = await cli(['write', '--table', source, '--endpoint', dynamo.endpoint, '--verbose', ...CREDENTIALS], { input: '{"broken\n' })
  t.equal(badRecord.code, 1)
  assertNoSecret(t, 'stderr of a bad record', badRecord.stderr)
})

t.test('a rejected copy with credentials from the environment prints the AWS response under --verbose, without the token', async (t) => {
  const proxy = await startFaultProxy({ target: dynamo.endpoint, rules: [{ kind: 'unrecognizedClient' }] })
  t.teardown(() => proxy.close())
  const dest = await dynamo.createTable()
  const out = await cli(['copy', '--from', source, '--to', dest, '--endpoint', proxy.endpoint, '--until-idle', '1s', '--verbose'],
    { env: { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN } })
  t.equal(out.code, 1)
  t.match(out.stderr, /\$response'?: HttpResponse \{ statusCode: 400/, 'the hidden response was printed')
  assertNoSecret(t, 'stderr', out.stderr)
  assertNoSecret(t, 'stdout', out.stdout)
})

t.test('an invalid credential value is named by its setting, never echoed', async (t) => {
  const out = await cli(['read', '--table', source, '--endpoint', dynamo.endpoint, '--snapshot-only', '-s', `aws.accessKeyId=${ACCESS_KEY}`, '-s', `aws.secretAccessKey=${SECRET}`, '-s', `aws.sessionToken=${TOKEN}`, '-s', `aws.secretAccesKey=${SECRET}`])
  t.equal(out.code, 2)
  t.match(out.stderr, /aws\.secretAccesKey/)
  assertNoSecret(t, 'stderr of a misspelt secret setting', out.stderr)
})

t.test('credentials from the environment do not leak into verbose logs either', async (t) => {
  const out = await cli(['read', '--table', source, '--endpoint', dynamo.endpoint, '--snapshot-only', '--verbose'],
    { env: { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN } })
  t.equal(out.code, 0, out.stderr)
  assertNoSecret(t, 'stderr', out.stderr)
})
