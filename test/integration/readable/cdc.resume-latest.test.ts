import t from 'tap'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createSource } from '../../../src/readable/source.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'
import { useDynamo } from '../../helpers/dynamo.js'

const dynamo = await useDynamo(t)
const put = async (table: string, pk: string): Promise<void> => { await dynamo.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } })) }
const pk = (r: OpenCDCRecord): string => String((r.key as { pk: unknown }).pk)

// The replay this avoids (history older than the anchor) needs stream records two minutes old, which DynamoDB
// Local's minute-truncated timestamps make slow to stage: test/unit/readable/cdc/cdc.reader-scripted.test.ts has it.
t.test('a copy resumed after a run that saw no change stores when its LATEST anchor was taken, and still loses no change made while it was stopped', async (t) => {
  const table = await dynamo.createTable({ hash: ['pk', 'S'], stream: 'NEW_AND_OLD_IMAGES' })
  for (let i = 0; i < 5; i++) await put(table, `seed${i}`)
  const checkpoint = path.join(t.testdir({}), 'c.json')
  const startedAt = Date.now()
  const first = createSource({ table, endpoint: dynamo.endpoint, checkpoint, recordsPollingPeriod: 50, checkpointInterval: 0 })
  let snapshot = 0
  first.on('data', (r: OpenCDCRecord) => { snapshot++; first.ack(r) })
  for (let i = 0; i < 600 && !(first.phase === 'cdc' && snapshot === 5); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(snapshot, 5, 'the first run read the snapshot, and no change')
  first.destroy()
  await once(first, 'close')
  const shards = Object.values((JSON.parse(readFileSync(checkpoint, 'utf8')) as { shards: Record<string, { since?: number }> }).shards)
  t.equal(shards.length, 1)
  const since = shards[0]?.since as number
  t.ok(since >= startedAt && since <= Date.now(), `the shard's entry says when its LATEST iterator was taken (${since})`)

  await put(table, 'between') // made while nothing was reading
  const second = createSource({ table, endpoint: dynamo.endpoint, checkpoint, recordsPollingPeriod: 50 })
  const bound = setTimeout(() => { second.destroy(new Error('the change made while stopped did not come within 60 s')) }, 60_000)
  t.teardown(() => { clearTimeout(bound); second.destroy() })
  const seen: string[] = []
  for await (const r of second) {
    seen.push(`${r.operation}:${pk(r)}`)
    if (pk(r) === 'between') break
  }
  t.equal(seen.filter((s) => s === 'create:between').length, 1, `the change made while stopped is read once (${seen.join(' ')})`)
  t.ok(seen.every((s) => /^create:(seed\d|between)$/.test(s)), 'nothing else (the snapshot is not read again)')
})
