import t from 'tap'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import { createTableInput, keySchemaMismatch, keySchemaText } from '../../../src/writable/create-table.js'

// A DescribeTable result as AWS returns it for a provisioned table (status, ARNs, sizes included).
const provisioned: TableDescription = {
  TableName: 'orders', TableStatus: 'ACTIVE', TableArn: 'arn:aws:dynamodb:us-east-1:1:table/orders', ItemCount: 10, TableSizeBytes: 100,
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'B' }, { AttributeName: 'l', AttributeType: 'S' }],
  ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3, NumberOfDecreasesToday: 0 },
  GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] }, IndexStatus: 'ACTIVE', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 }, IndexArn: 'arn' }],
  LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' }, IndexArn: 'arn', ItemCount: 3 }],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }
}

t.test('a provisioned table: keys, attribute definitions, GSI and LSI with projections, throughput copied; status and stream not', async (t) => {
  t.same(createTableInput(provisioned, 'orders_copy'), {
    TableName: 'orders_copy',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'B' }, { AttributeName: 'l', AttributeType: 'S' }],
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] }, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 } }],
    LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }]
  })
})

t.test('an on-demand table: PAY_PER_REQUEST and no throughput anywhere (DynamoDB reports zeros for it)', async (t) => {
  const onDemand: TableDescription = {
    ...provisioned, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    GlobalSecondaryIndexes: [{ ...provisioned.GlobalSecondaryIndexes?.[0], ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } }]
  }
  const input = createTableInput(onDemand, 'c', { stream: 'NEW_IMAGE' })
  t.equal(input.BillingMode, 'PAY_PER_REQUEST')
  t.notOk('ProvisionedThroughput' in input)
  t.notOk('ProvisionedThroughput' in (input.GlobalSecondaryIndexes?.[0] ?? {}))
  t.same(input.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' }, 'a stream only when asked')
})

t.test('key schemas are compatible with the same names, roles and types; otherwise both are named', async (t) => {
  const same: TableDescription = { KeySchema: [{ AttributeName: 'sk', KeyType: 'RANGE' }, { AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'pk', AttributeType: 'S' }] }
  t.equal(keySchemaMismatch(provisioned, same), undefined, 'order of the lists and other attribute definitions do not matter')
  t.equal(keySchemaText(provisioned), 'pk (S, HASH), sk (N, RANGE)')
  const otherType: TableDescription = { KeySchema: same.KeySchema, AttributeDefinitions: [{ AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'pk', AttributeType: 'S' }] }
  t.equal(keySchemaMismatch(provisioned, otherType), "the destination's primary key is pk (S, HASH), sk (S, RANGE); the source's is pk (S, HASH), sk (N, RANGE)")
  const hashOnly: TableDescription = { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }
  t.match(keySchemaMismatch(provisioned, hashOnly), /destination's primary key is pk \(S, HASH\);/)
  const renamed: TableDescription = { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }] }
  t.ok(keySchemaMismatch(provisioned, renamed))
})
