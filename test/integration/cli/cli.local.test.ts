import t from 'tap'
import { spawnSync } from 'node:child_process'
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createDynamoDBClient } from '../../../src/aws/clients.js'
import { freePort } from '../../../src/local/dynamodb-local.js'
import { cli, waitForOutput } from './cli.spawn.js'

function jvmRunning (port: number): boolean {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
  return ps.stdout.split('\n').some((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port}`))
}

t.test('local prints its endpoint, serves DynamoDB and stops cleanly on Ctrl-C (SIGINT)', async (t) => {
  const port = await freePort()
  const run = cli(['local', '--port', String(port)], { env: { DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' } })
  const out = await waitForOutput(run.child, /http:\/\/\S+\n/)
  t.equal(out, `http://127.0.0.1:${port}\n`, 'stdout carries only the endpoint, whatever DYNAMODB_ENDPOINT says')
  const client = createDynamoDBClient({ endpoint: out.trim() })
  t.same((await client.send(new ListTablesCommand({}))).TableNames, [])
  client.destroy()
  run.child.kill('SIGINT')
  const r = await run
  t.equal(r.code, 0, 'exit code 0')
  t.notOk(jvmRunning(port), 'the JVM is gone')
})

t.test('local --db-path keeps tables on disk and stops cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-local-'))
  const port = await freePort()
  const run = cli(['local', '--port', String(port), '--db-path', dir])
  const out = await waitForOutput(run.child, /http:\/\/\S+\n/)
  const client = createDynamoDBClient({ endpoint: out.trim() })
  await client.send(new CreateTableCommand({ TableName: 'kept', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
  client.destroy()
  run.child.kill('SIGTERM')
  t.equal((await run).code, 0)
  t.notOk(jvmRunning(port), 'the JVM is gone')
  t.ok(readdirSync(dir).some((f) => f.endsWith('.db')), 'a database file was written in --db-path')
})

t.test('local on a port already in use fails with exit code 1', async (t) => {
  const port = await freePort()
  const first = cli(['local', '--port', String(port)])
  await waitForOutput(first.child, /http:\/\/\S+\n/)
  const second = await cli(['local', '--port', String(port)])
  t.equal(second.code, 1)
  t.match(second.stderr, /dynamodb-opencdc local: .*DynamoDB Local/)
  first.child.kill('SIGTERM')
  t.equal((await first).code, 0)
})

t.test('local exits 1 when DynamoDB Local dies under it', async (t) => {
  const port = await freePort()
  const run = cli(['local', '--port', String(port)])
  await waitForOutput(run.child, /http:\/\/\S+\n/)
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
  const line = ps.stdout.split('\n').find((l) => l.includes('DynamoDBLocal.jar') && l.includes(`-port ${port}`))
  t.ok(line, 'found the JVM')
  process.kill(Number(line?.trim().split(/\s+/)[0]), 'SIGKILL')
  const r = await run
  t.equal(r.code, 1)
  t.match(r.stderr, /DynamoDB Local at http:\/\/127\.0\.0\.1:\d+ stopped answering/)
})
