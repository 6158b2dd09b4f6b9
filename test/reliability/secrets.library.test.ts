import t from 'tap'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { inspect } from 'node:util'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { pino } from 'pino'
import { ackOnWrite } from '../../src/readable/ack.js'
import { createSource } from '../../src/readable/source.js'
import { createDestination } from '../../src/writable/destination.js'
import { useDynamo } from '../helpers/dynamo.js'
import { startFaultProxy } from '../helpers/fault-proxy.js'
import { ACCESS_KEY, SECRET, TOKEN, assertNoSecret } from '../helpers/secrets.js'

const dynamo = await useDynamo(t)
const source = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })

t.test('library errors carrying static credentials do not reveal them when inspected', async (t) => {
  const proxy = await startFaultProxy({ target: dynamo.endpoint, rules: [{ kind: 'unrecognizedClient' }] })
  t.teardown(() => proxy.close())
  const creds = { endpoint: proxy.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN }
  const errors: unknown[] = []
  const src = createSource({ table: source, snapshotOnly: true, ...creds })
  await new Promise<void>((resolve) => { src.on('error', (err) => { errors.push(err); resolve() }); src.resume() })
  const dest = createDestination({ table: source, ...creds })
  await new Promise<void>((resolve) => { dest.on('error', (err) => { errors.push(err); resolve() }); dest.end() })
  for (const bad of [{ table: source, ...creds, maxSockets: 'many' }, { table: source, ...creds, secretAccessKey: 42 }]) {
    try { createSource(bad as never) } catch (err) { errors.push(err) }
  }
  t.equal(errors.length, 4, 'every case failed')
  // What loggers print: console.log/error (inspect), inspect at any depth, JSON, pino's error serializer.
  for (const err of errors) {
    const what = `${(err as Error).name}: ${(err as Error).message.slice(0, 60)}`
    assertNoSecret(t, `inspected ${what}`, inspect(err) + inspect(err, { depth: Infinity }))
    // showHidden reaches the SDK's non-enumerable $response, whose signed request carried the token.
    assertNoSecret(t, `inspected with hidden fields ${what}`, inspect(err, { depth: Infinity, showHidden: true }))
    assertNoSecret(t, `JSON of ${what}`, JSON.stringify(err, (_k, v: unknown) => typeof v === 'bigint' ? String(v) : v) ?? '')
    assertNoSecret(t, `pino-serialized ${what}`, JSON.stringify(pino.stdSerializers.err(err as Error)))
  }
})

t.test('a source and a destination run with static credentials keep them out of checkpoint files', async (t) => {
  const dir = t.testdir({})
  const checkpoint = path.join(dir, 'source.ckpt.json')
  const creds = { endpoint: dynamo.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN }
  await dynamo.client.send(new PutItemCommand({ TableName: source, Item: { id: { S: 'one' } } }))
  const src = createSource({ table: source, snapshotOnly: true, checkpoint, checkpointInterval: 0, ...creds })
  const dest = createDestination({ table: await dynamo.createTable(), ...creds })
  await pipeline(src, ackOnWrite(src, dest))
  await src.flushCheckpoint()
  const text = await readFile(checkpoint, 'utf8')
  t.match(JSON.parse(text), { snapshot: { done: true } }, 'the checkpoint was written')
  assertNoSecret(t, 'the checkpoint file', text)
  t.same((await readdir(dir)).filter((f) => f !== 'source.ckpt.json'), [], 'no other file (temporary copy) left behind')
})

t.test('inspecting a destination (console.log of the stream) does not print the credentials', async (t) => {
  const dest = createDestination({ table: source, endpoint: dynamo.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN })
  assertNoSecret(t, 'inspect(destination)', inspect(dest, { depth: 4 }))
  dest.destroy()
})

// DynamoDBSource keeps its resolved options (credentials included) private behind a getter.
t.test('inspecting a source (console.log of the stream) does not print the credentials', async (t) => {
  const src = createSource({ table: source, snapshotOnly: true, endpoint: dynamo.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN })
  assertNoSecret(t, 'inspect(source)', inspect(src, { depth: 4 }))
  src.destroy()
})
