import t from 'tap'
import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { applyRecord, describeDiff, diffStates, scanTable, type Item } from '../../helpers/table-state.js'
import { createSource } from '../../../src/readable/source.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'

const ITEMS = 6000

t.test('createSource: writes made during the snapshot come out after it; applying the output in order to an empty table rebuilds the source exactly', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const item = (i: number, v: number): Record<string, AttributeValue> => ({ id: { S: `k${i}` }, v: { N: String(v) }, pad: { S: 'x'.repeat(100) } })
  for (let i = 0; i < ITEMS; i += 25) {
    await ddb.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: item(i + j, 0) } })) } }))
  }
  const source = createSource({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100, readRatePerSecond: 3000, snapshotPageSize: 100, consistentRead: true, checkpoint: `${t.testdir()}/cp.json` })

  let snapshotDone = false
  let writesDuringSnapshot = 0
  let writes = 0
  let writer: Promise<void> | undefined
  const live = Array.from({ length: ITEMS }, (_, i) => i)
  const startWriter = (): Promise<void> => (async () => {
    let next = ITEMS
    for (let round = 0; !snapshotDone || round < 60; round++) {
      const at = Math.floor(Math.random() * live.length)
      const pick = live[at] as number
      if (round % 3 === 0) {
        await ddb.client.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: `k${pick}` } }, UpdateExpression: 'SET v = v + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }))
      } else if (round % 3 === 1) {
        live.splice(at, 1)
        await ddb.client.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: `k${pick}` } } }))
      } else {
        live.push(next)
        await ddb.client.send(new PutItemCommand({ TableName: table, Item: item(next++, round) }))
      }
      writes++
    }
  })()

  const out: OpenCDCRecord[] = []
  let snapshotRecords = 0
  for await (const r of source) {
    const record = r as OpenCDCRecord
    out.push(record)
    source.ack(record)
    if (record.operation === 'snapshot') {
      snapshotRecords++
      writer ??= startWriter()
    } else {
      if (!snapshotDone) writesDuringSnapshot = writes
      snapshotDone = true
      await writer
      if (out.length - snapshotRecords === writes) break
    }
  }
  t.ok(writesDuringSnapshot >= 20, `${writesDuringSnapshot} of ${writes} writes were made while the snapshot ran`)
  const firstChange = out.findIndex((r) => r.operation !== 'snapshot')
  t.equal(out.slice(firstChange).filter((r) => r.operation === 'snapshot').length, 0, 'no snapshot record after the first change')
  t.equal(out.length - firstChange, writes, 'every write came out exactly once')

  const rebuilt = new Map<string, Item>()
  for (const r of out) applyRecord(rebuilt, r)
  const diff = diffStates(await scanTable(ddb.client, table), rebuilt)
  t.same(diff, { missing: [], extra: [], different: [], compared: diff.compared }, `applying the output in order gives the table, types included: ${describeDiff(diff)}`)
})
