import t from 'tap'
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createChangeStream } from '../../../../src/readable/cdc/change-stream.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'

t.test('a consumer that stops reading stops the polling: at most highWaterMark plus two pages are held, and nothing is lost', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  for (let i = 0; i < 5000; i += 25) {
    await ddb.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { id: { S: `k${i + j}` } } } })) } }))
  }
  const stream = createChangeStream({ table, endpoint: ddb.endpoint, startFrom: 'trim_horizon', highWaterMark: 100, recordsPollingPeriod: 50 })
  await stream.whenStarted()
  stream.resume()
  stream.pause()
  // Wait until the consumer is full and the reader settles (two equal samples 500 ms apart; a loaded machine needs longer than an idle one):
  // without backpressure it settles only when all 5000 records are held, which the next assertion refuses.
  let held = -1
  for (let waited = 0; waited < 60_000 && (stream.buffered !== held || stream.readableLength < 100); waited += 500) {
    held = stream.buffered
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  t.ok(stream.readableLength <= 100, `the Readable holds ${stream.readableLength} ≤ highWaterMark`)
  // One page is decoded while the next is fetched, so one more may land after the consumer filled up.
  held = stream.buffered
  t.ok(held <= 2000, `the reader holds ${held} ≤ two pages`)
  await new Promise((resolve) => setTimeout(resolve, 1000))
  t.equal(stream.buffered, held, 'and polls no more while the consumer is full')
  const keys = new Set<string>()
  for await (const r of stream) {
    keys.add(((r as OpenCDCRecord).key as { id: string }).id)
    if (keys.size === 5000) break
  }
  t.equal(keys.size, 5000, 'every record arrives once the consumer reads again')
})
