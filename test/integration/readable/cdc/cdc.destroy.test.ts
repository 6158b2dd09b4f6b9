import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createChangeStream } from '../../../../src/readable/cdc/change-stream.js'

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cdc.child.ts')
const loader = process.execArgv.filter((a) => a.includes('typescript'))

t.test('destroying a change stream', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })

  t.test('while shards are polled idle closes at once, without an error', async (t) => {
    const stream = createChangeStream({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 5000, discoveryPollingPeriod: 60_000 })
    await stream.whenStarted()
    stream.resume()
    await new Promise((resolve) => setTimeout(resolve, 300))
    let error: unknown
    stream.on('error', (err) => { error = err })
    const start = Date.now()
    stream.destroy()
    await once(stream, 'close')
    t.ok(Date.now() - start < 1500, `closed in ${Date.now() - start} ms although a 5 s poll wait was pending`)
    t.equal(error, undefined)
  })

  t.test('before it has started closes at once, without an error', async (t) => {
    const stream = createChangeStream({ table, endpoint: ddb.endpoint })
    let error: unknown
    stream.on('error', (err) => { error = err })
    stream.destroy()
    await once(stream, 'close')
    t.equal(error, undefined)
  })

  t.test('with an error reports that error', async (t) => {
    const stream = createChangeStream({ table, endpoint: ddb.endpoint })
    await stream.whenStarted()
    const boom = new Error('boom')
    stream.destroy(boom)
    const [err] = await once(stream, 'error')
    t.equal(err, boom)
  })

  t.test('by breaking out of for await stops the stream', async (t) => {
    const stream = createChangeStream({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100 })
    await stream.whenStarted()
    await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'a' } } }))
    for await (const record of stream) { t.match(record, { operation: 'create', key: { id: 'a' } }, 'the change made is read'); break }
    t.ok(stream.destroyed)
  })

  t.test('leaves no timer or socket keeping the process alive', async (t) => {
    const proc = spawn(process.execPath, [...loader, child, 'exit', ddb.endpoint, table], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
    let out = ''
    proc.stdout.on('data', (c: Buffer) => { out += c.toString() })
    const [code] = await once(proc, 'exit')
    const exitedAt = Date.now()
    const closed = Number(/CLOSED (\d+)/.exec(out)?.[1])
    t.equal(code, 0)
    t.ok(Number.isFinite(closed), 'the stream closed')
    // The default discovery period is 10 s: a timer left behind would hold the process that long.
    t.ok(exitedAt - closed < 2000, `the process exited ${exitedAt - closed} ms after close`)
  })
})
