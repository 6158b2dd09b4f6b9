import t from 'tap'
import http from 'node:http'
import { once } from 'node:events'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { createDynamoDBClient } from '../../../src/aws/clients.js'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import { run, scanAll } from './destination.fixtures.js'

const db = await useDynamo(t)

const records = (n: number, from = 0): OpenCDCRecord[] => Array.from({ length: n }, (_, i) => createRecord({ position: `p${from + i}`, operation: 'create', key: { id: `k${from + i}` }, after: { i: from + i } }))

t.test('a write callback fires only after its record is durably written', async (t) => {
  const table = await db.createTable()
  const client = createDynamoDBClient({ endpoint: db.endpoint })
  t.teardown(() => client.destroy())
  const confirmedAt = new Map<string, number>()
  client.middlewareStack.add((next, context) => async (args) => {
    const result = await next(args)
    if (context.commandName === 'BatchWriteItemCommand') {
      await new Promise((resolve) => setTimeout(resolve, 30))
      const at = performance.now()
      for (const r of Object.values((args.input as { RequestItems: Record<string, Array<{ PutRequest?: { Item?: { id?: { S?: string } } } }>> }).RequestItems)[0] ?? []) confirmedAt.set(r.PutRequest?.Item?.id?.S ?? '', at)
    }
    return result
  }, { step: 'initialize', name: 'stamp' })
  const dest = createDestination({ table, client })
  const checks: Array<Promise<void>> = []
  let early = 0
  for (const record of records(300)) {
    const id = (record.key as { id: string }).id
    dest.write(record, () => {
      // The stamp is set once DynamoDB answered (plus 30 ms): a callback before it finds none.
      if (confirmedAt.get(id) === undefined) early++
      checks.push(client.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true })).then((out) => { if (out.Item === undefined) early++ }))
    })
  }
  dest.end()
  await once(dest, 'finish')
  await Promise.all(checks)
  t.equal(checks.length, 300)
  t.equal(early, 0, 'no callback before DynamoDB confirmed its record')
})

t.test('onWritten reports every record once, after it is written', async (t) => {
  const table = await db.createTable()
  const seen: string[] = []
  const dest = createDestination({ table, endpoint: db.endpoint, onWritten: (rs) => { seen.push(...rs.map((r) => r.position.toString())) } })
  t.equal(await run(records(777), dest), undefined)
  t.equal(seen.length, 777)
  t.equal(new Set(seen).size, 777)
})

t.test('a fast producer is held back: write() returns false once highWaterMark records wait', async (t) => {
  const table = await db.createTable()
  const dest = createDestination({ table, endpoint: db.endpoint, highWaterMark: 50 })
  let accepted = 0
  for (const record of records(200)) {
    if (!dest.write(record)) break
    accepted++
  }
  t.ok(accepted < 60, `write() asked to wait after ${accepted} records`)
  t.ok(dest.writableNeedDrain)
  await once(dest, 'drain')
  dest.end()
  await once(dest, 'finish')
  t.equal((await scanAll(db.client, table)).size, accepted + 1)
})

t.test('an empty input finishes without a request', async (t) => {
  const table = await db.createTable()
  const dest = createDestination({ table, endpoint: db.endpoint })
  t.equal(await run([], dest), undefined)
  t.equal(dest.stats.requests, 0)
})

t.test('the seed settings work verbatim, with static keys and a session token', async (t) => {
  const table = await db.createTable()
  const dest = createDestination({ table, 'aws.url': db.endpoint, 'aws.region': 'eu-west-1', 'aws.accessKeyId': 'AKIDEXAMPLE', 'aws.secretAccessKey': 'secret', 'aws.sessionToken': 'token', 'sdk.batch.size': '10', 'sdk.batch.delay': '100ms', 'sdk.rate.perSecond': '0', 'sdk.rate.burst': '0' })
  t.equal(await run(records(30), dest), undefined)
  t.equal(dest.stats.requests, 3, 'batches of 10')
  t.equal((await scanAll(db.client, table)).size, 30)
})

t.test('a table that does not exist fails the stream with a clear error', async (t) => {
  const err = await run(records(1), createDestination({ table: 'no_such_table', endpoint: db.endpoint }))
  t.ok(isOpenCDCError(err, 'ERR_DDB_TABLE_NOT_FOUND'))
  t.match(err?.message, /destination table "no_such_table" does not exist/)
})

t.test('bad options throw at construction, naming the option', async (t) => {
  t.throws(() => createDestination({ table: 'x', endpoint: db.endpoint, 'sdk.batch.size': '26' }), { code: 'ERR_DDB_INVALID_OPTION', message: /sdk\.batch\.size: BatchWriteItem takes at most 25/ })
  t.throws(() => createDestination({ table: 'x', endpoint: db.endpoint, rateBurst: 5 }), { code: 'ERR_DDB_INVALID_OPTION', message: /sdk\.rate\.burst needs sdk\.rate\.perSecond/ })
  t.throws(() => createDestination({ table: 'x', endpoint: db.endpoint, updateMode: 'merge' as never }), { code: 'ERR_DDB_INVALID_OPTION', message: /updateMode: expected one of put, patch/ })
  // @ts-expect-error: the typo is the point (the types refuse it too)
  t.throws(() => createDestination({ table: 'x', endpoint: db.endpoint, concurrancy: 2 }), { code: 'ERR_DDB_UNKNOWN_OPTION', message: /did you mean "concurrency"/ })
  t.throws(() => createDestination({ table: 'x', endpoint: db.endpoint, deadLetter: 42 as never }), { code: 'ERR_DDB_INVALID_OPTION', message: /deadLetter/ })
  // @ts-expect-error: the typo is the point (the types refuse it too)
  t.throws(() => createDestination({ endpoint: db.endpoint }), { code: 'ERR_DDB_MISSING_OPTION' })
  const leak = (() => { try { createDestination({ table: 'x', endpoint: db.endpoint, 'aws.secretAccessKey': 'leak-me' }) } catch (err) { return err as Error } })()
  t.match(leak, { code: 'ERR_DDB_MISSING_OPTION', message: /aws\.accessKeyId/ })
  t.notMatch(leak?.message, /leak-me/, 'a secret is never echoed')
})

t.test('destroy() aborts a request in flight at once', async (t) => {
  let aborted = false
  const server = http.createServer((req, res) => {
    const target = String(req.headers['x-amz-target'])
    if (target.endsWith('DescribeTable')) {
      res.setHeader('content-type', 'application/x-amz-json-1.0')
      res.end(JSON.stringify({ Table: { TableName: 'hang', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } }))
      return
    }
    req.socket.on('close', () => { aborted = true })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  const { port } = server.address() as { port: number }
  const dest = createDestination({ table: 'hang', endpoint: `http://127.0.0.1:${port}`, accessKeyId: 'a', secretAccessKey: 'b' })
  let callbackError: unknown = 'not called'
  dest.write(records(1)[0], (err) => { callbackError = err })
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.equal(callbackError, 'not called', 'still waiting for DynamoDB')
  const started = Date.now()
  dest.destroy()
  await once(dest, 'close')
  t.ok(Date.now() - started < 1500, `closed in ${Date.now() - started} ms`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.ok(aborted, 'the HTTP request was torn down')
})

t.test('destroy(err) keeps that error', async (t) => {
  const table = await db.createTable()
  const dest = createDestination({ table, endpoint: db.endpoint })
  const boom = new Error('boom')
  dest.destroy(boom)
  const [err] = await once(dest, 'error')
  t.equal(err, boom)
  t.equal(dest.destroyed, true)
})
