import t from 'tap'
import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { createSource } from '../../../src/readable/source.js'
import { fromAttributeMap, type AttributeMap } from '../../../src/model/codec.js'
import type { OpenCDCRecord, StructuredData } from '../../../src/model/record.js'

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

  const rebuilt = new Map<string, StructuredData>()
  for (const r of out) {
    const id = (r.key as { id: string }).id
    if (r.operation === 'delete') rebuilt.delete(id)
    else rebuilt.set(id, r.payload.after as StructuredData)
  }
  const sourceItems = new Map<string, StructuredData>()
  let start: Record<string, AttributeValue> | undefined
  do {
    const page: { Items?: Array<Record<string, AttributeValue>>, LastEvaluatedKey?: Record<string, AttributeValue> } = await ddb.client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }))
    for (const it of page.Items ?? []) sourceItems.set(it.id?.S as string, fromAttributeMap(it as AttributeMap))
    start = page.LastEvaluatedKey
  } while (start !== undefined)
  const canonical = (d: StructuredData | undefined): string => JSON.stringify(d === undefined ? null : Object.keys(d).sort().map((k) => [k, String(d[k])]))
  t.equal(rebuilt.size, sourceItems.size, 'same item count')
  t.same([...sourceItems.keys()].filter((k) => canonical(rebuilt.get(k)) !== canonical(sourceItems.get(k))), [], 'every item equal')
})
