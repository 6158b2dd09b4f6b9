import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { CLI } from '../../helpers/child.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { useFaultProxy } from '../../helpers/fault-proxy.js'
import { seed } from './cli.tables.js'

const ddb = await useDynamo(t)

t.test('read --exit-on-stall: stdout nobody reads stalls the source; it warns what is stuck, saves the checkpoint and exits 4', async (t) => {
  const table = await ddb.createTable()
  // ~700 KB of lines: far more than a pipe holds, so the CLI blocks on stdout once the pipe is full.
  await seed(ddb.client, table, Array.from({ length: 3000 }, (_, i) => ({ id: `k${i}`, pad: 'x'.repeat(200) })))
  const checkpoint = path.join(t.testdir({}), 'read.ckpt')
  const proc = spawn(process.execPath, [CLI, 'read', '--table', table, '--snapshot-only', '--checkpoint', checkpoint, '--stall-timeout', '500ms', '--exit-on-stall'], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', DYNAMODB_ENDPOINT: ddb.endpoint },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  proc.stdout.pause() // never read: the pipe fills up
  let stderr = ''
  proc.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const killer = setTimeout(() => { proc.kill('SIGKILL') }, 90_000)
  const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)))
  clearTimeout(killer)
  proc.stdout.destroy()
  t.equal(code, 4, stderr)
  t.match(stderr, new RegExp(`source \\(table ${table}\\) stalled: nothing moved for \\d+m?s in the snapshot phase; \\d+ records waiting for the consumer to read them`))
  t.match(stderr, /ERR_DDB_STALLED/)
  t.ok(existsSync(checkpoint), 'the checkpoint was saved')
})

t.test('write --exit-on-stall: a table that stops answering stalls the destination; it warns what is stuck and exits 4', async (t) => {
  const table = await ddb.createTable()
  // DescribeTable passes; every BatchWriteItem is answered a minute late, far past the stall timeout.
  const proxy = await useFaultProxy(t, ddb.endpoint, [{ kind: 'slow', operations: ['BatchWriteItem'], delayMs: 60_000 }])
  const proc = spawn(process.execPath, [CLI, 'write', '--table', table, '--stall-timeout', '500ms', '--exit-on-stall'], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', DYNAMODB_ENDPOINT: proxy.endpoint },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stderr = ''
  proc.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  proc.stdout.resume()
  // Left open: the CLI has input pending, so only the stall can end it.
  proc.stdin.write(Array.from({ length: 50 }, (_, i) => JSON.stringify({ operation: 'create', key: { id: `k${i}` }, payload: { after: { id: `k${i}` } } })).join('\n') + '\n')
  const killer = setTimeout(() => { proc.kill('SIGKILL') }, 90_000)
  const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)))
  clearTimeout(killer)
  proc.stdin.destroy()
  t.equal(code, 4, stderr)
  t.match(stderr, new RegExp(`destination \\(table ${table}\\) stalled: nothing moved for \\d+m?s in the write phase`))
  t.match(stderr, /ERR_DDB_STALLED/)
  t.ok((proxy.injected.slow ?? 0) >= 1, 'a write was held back')
})
