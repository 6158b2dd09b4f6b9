import { BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createDynamoDBClient } from '../../aws/clients.js'
import { OpenCDCError } from '../../errors/index.js'
import { toAttributeMap } from '../../model/codec.js'
import { startLocalDynamoDB } from '../../local/dynamodb-local.js'
import { PreciseNumber, type OpenCDCRecord, type StructuredData } from '../../model/record.js'
import { BIN, parseCommandArgs } from '../support/args.js'
import { openSerializer, openSource } from '../support/connectors.js'
import { close, take, type TakeEnd } from '../support/flow.js'
import { writeOut, type Command } from '../support/runtime.js'
import { createUi } from '../support/ui.js'

const help = `Usage: ${BIN} demo [options]

The whole product in one command (this is what "npm start" runs): starts an embedded DynamoDB Local
(or uses DYNAMODB_ENDPOINT), creates a table with a stream (NEW_AND_OLD_IMAGES), loads sample
orders, reads the table with the OpenCDC source, makes live inserts, updates and deletes, and prints
every snapshot and change record (opencdc/json) as it flows, then a short summary. Everything it
started is stopped and the table is dropped at the end.

Options:
  -q, --quiet             only errors on stderr
  -v, --verbose           debug logs on stderr
  -h, --help              this help

Examples:
  npm start
  DYNAMODB_ENDPOINT=http://127.0.0.1:8000 ${BIN} demo    # on an endpoint you run yourself
`

export const SAMPLE_ORDERS: StructuredData[] = [
  { id: 'order-1', customer: 'ada', total: 42.5, items: ['keyboard', 'mouse'], paid: true },
  { id: 'order-2', customer: 'grace', total: new PreciseNumber('12345678901234567890.123456789012345678'), tags: new Set(['gift', 'express']) },
  { id: 'order-3', customer: 'linus', total: 7, shipping: { city: 'Helsinki', zip: '00100' }, note: null },
  { id: 'order-4', customer: 'barbara', total: 0.1, receipt: Buffer.from('PDF-1.7') },
  { id: 'order-5', customer: 'ken', total: 99, quantities: new Set([1, 2, 3]) }
]

/** The live changes the demo makes once the snapshot is out: 2 inserts, 2 updates, 1 delete. */
async function makeChanges (client: DynamoDBClient, table: string): Promise<number> {
  await client.send(new PutItemCommand({ TableName: table, Item: toAttributeMap({ id: 'order-6', customer: 'margaret', total: 250, paid: false }) }))
  await client.send(new UpdateItemCommand({
    TableName: table,
    Key: toAttributeMap({ id: 'order-1' }),
    UpdateExpression: 'SET #s = :s',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: toAttributeMap({ ':s': 'shipped' })
  }))
  await client.send(new UpdateItemCommand({
    TableName: table,
    Key: toAttributeMap({ id: 'order-6' }),
    UpdateExpression: 'SET paid = :p',
    ExpressionAttributeValues: toAttributeMap({ ':p': true })
  }))
  await client.send(new DeleteItemCommand({ TableName: table, Key: toAttributeMap({ id: 'order-3' }) }))
  await client.send(new PutItemCommand({ TableName: table, Item: toAttributeMap({ id: 'order-7', customer: 'dennis', total: 3.14 }) }))
  return 5
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'see it work: local DynamoDB, a table, its snapshot and live changes (npm start)',
  help,
  async run (argv, ctx) {
    const { values } = parseCommandArgs<{ quiet?: boolean, verbose?: boolean }>('demo', argv, {})
    const ui = createUi({ ...values, stderr: ctx.stderr })
    const started = Date.now()
    const say = async (text: string): Promise<void> => { await writeOut(ctx.stdout, text + '\n', ctx.signal) }
    await say('# starting DynamoDB Local…')
    const local = await startLocalDynamoDB({ env: ctx.env })
    const client = createDynamoDBClient({ endpoint: local.endpoint })
    const table = `demo_orders_${Date.now().toString(36)}`
    const counts: Record<string, number> = { snapshot: 0, create: 0, update: 0, delete: 0 }
    let tableCreated = false
    try {
      await say(`# DynamoDB Local at ${local.endpoint} (${local.kind})`)
      await client.send(new CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }
      }), { abortSignal: ctx.signal })
      tableCreated = true
      await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: SAMPLE_ORDERS.map((o) => ({ PutRequest: { Item: toAttributeMap(o) } })) } }), { abortSignal: ctx.signal })
      await say(`# created table ${table} with a NEW_AND_OLD_IMAGES stream and loaded ${SAMPLE_ORDERS.length} orders`)
      const serialize = await openSerializer('opencdc/json', '')
      const source = await openSource({ table, endpoint: local.endpoint, recordsPollingPeriod: '250ms' })
      let expected = SAMPLE_ORDERS.length
      let changed = false
      let seen = 0
      let why = 'end' as TakeEnd
      try {
        await say('# snapshot records:')
        for await (const record of take<OpenCDCRecord>(source, { signal: ctx.signal, idleMs: 60_000 }, (w) => { why = w })) {
          counts[record.operation] = (counts[record.operation] ?? 0) + 1
          ctx.tally.read = (ctx.tally.read ?? 0) + 1
          await say(`[${record.operation}] ${serialize(record).toString().trimEnd()}`)
          source.ack(record)
          seen++
          if (!changed && counts.snapshot === SAMPLE_ORDERS.length) {
            await say('# snapshot done; making live changes: 2 inserts, 2 updates, 1 delete. Change records:')
            changed = true
            expected += await makeChanges(client, table)
          }
          if (seen >= expected && changed) break
        }
      } finally {
        await close(source)
      }
      if (why === 'stopped') return 0
      if (seen < expected) throw new OpenCDCError('ERR_DDB_DEMO', `expected ${expected} records but saw ${seen} (${why === 'idle' ? 'nothing arrived for 60 s' : 'the source ended'})`)
      const secs = ((Date.now() - started) / 1000).toFixed(1)
      const n = (count: number | undefined, word: string): string => `${count ?? 0} ${word}${count === 1 ? '' : 's'}`
      await say(`# summary: ${n(counts.snapshot, 'snapshot record')}, ${n(counts.create, 'create')}, ${n(counts.update, 'update')}, ${n(counts.delete, 'delete')} in ${secs} s`)
    } finally {
      if (tableCreated) await client.send(new DeleteTableCommand({ TableName: table })).catch((err: Error) => ui.log.warn(`could not drop ${table}: ${err.message}`))
      client.destroy()
      await local.stop()
      ui.close()
    }
    return 0
  }
}
