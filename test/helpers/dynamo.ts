import { CreateTableCommand, DynamoDBClient, type AttributeDefinition, type KeySchemaElement, type StreamViewType } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { randomUUID } from 'node:crypto'
import { createDynamoDBClient, createStreamsClient } from '../../src/aws/clients.js'
import { startLocalDynamoDB, type LocalDynamoDB } from '../../src/local/dynamodb-local.js'

export interface TestDynamo {
  endpoint: string
  local: LocalDynamoDB
  client: DynamoDBClient
  streams: DynamoDBStreamsClient
  createTable: (spec?: TableSpec) => Promise<string>
}

export interface TableSpec {
  name?: string
  hash?: [string, 'S' | 'N' | 'B']
  range?: [string, 'S' | 'N' | 'B']
  stream?: StreamViewType
}

interface Teardown { teardown: (fn: () => unknown) => void }

/** A real DynamoDB endpoint for one test file: DYNAMODB_ENDPOINT, or our own DynamoDB Local, stopped at teardown. */
export async function useDynamo (t: Teardown): Promise<TestDynamo> {
  const local = await startLocalDynamoDB()
  const client = createDynamoDBClient({ endpoint: local.endpoint })
  const streams = createStreamsClient({ endpoint: local.endpoint })
  t.teardown(async () => {
    client.destroy()
    streams.destroy()
    await local.stop()
  })
  return { endpoint: local.endpoint, local, client, streams, createTable: async (spec) => await createTable(client, spec) }
}

export async function createTable (client: DynamoDBClient, spec: TableSpec = {}): Promise<string> {
  const name = spec.name ?? `t_${randomUUID().slice(0, 8)}`
  const hash = spec.hash ?? ['id', 'S']
  const keys: KeySchemaElement[] = [{ AttributeName: hash[0], KeyType: 'HASH' }]
  const defs: AttributeDefinition[] = [{ AttributeName: hash[0], AttributeType: hash[1] }]
  if (spec.range !== undefined) {
    keys.push({ AttributeName: spec.range[0], KeyType: 'RANGE' })
    defs.push({ AttributeName: spec.range[0], AttributeType: spec.range[1] })
  }
  await client.send(new CreateTableCommand({
    TableName: name,
    KeySchema: keys,
    AttributeDefinitions: defs,
    BillingMode: 'PAY_PER_REQUEST',
    ...(spec.stream !== undefined ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } } : {})
  }))
  return name
}
