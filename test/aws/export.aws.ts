import t from 'tap'
import { randomBytes } from 'node:crypto'
import { pipeline } from 'node:stream/promises'
import { CreateTableCommand, DeleteTableCommand, UpdateContinuousBackupsCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { createDynamoDBClient } from '../../src/aws/clients.js'
import { startExport, waitForExport } from '../../src/readable/snapshot/export-call.js'
import { createSource } from '../../src/readable/source.js'
import type { OpenCDCRecord } from '../../src/model/record.js'
import { createDestination } from '../../src/writable/destination.js'
import { tap } from '../helpers/universe-path.js'
import { dump, seed } from '../integration/cli/cli.tables.js'
import { realAwsMode } from './mode.js'

// npm run test:aws: ExportTableToPointInTime + DescribeExport for real (DynamoDB Local lacks both), on a PITR table this
// file creates, into a bucket it creates; both are deleted at the end. An export takes minutes and costs per GB.
const mode = realAwsMode()
if (!mode.run || mode.endpoint !== undefined) {
  t.test('real-AWS export suite', { skip: mode.run ? `exports need real AWS: DynamoDB Local has no ExportTableToPointInTime (${mode.why})` : mode.why }, async () => {})
} else {
  t.comment(mode.why)
  const region = String(process.env.AWS_REGION)
  const client: DynamoDBClient = createDynamoDBClient({})
  const s3 = new S3Client({ region })
  const name = `dynamodb-opencdc-test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const tables = new Set<string>()
  let bucketMade = false
  const dropAll = async (): Promise<void> => {
    for (const table of tables) {
      await client.send(new DeleteTableCommand({ TableName: table })).catch((err: Error) => { if (err.name !== 'ResourceNotFoundException') console.error(`could not delete table ${table}: ${err.message}`) })
      tables.delete(table)
    }
    if (bucketMade) {
      // A bucket is deleted only once empty: every object the export wrote goes first.
      for (;;) {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: name }))
        const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key as string }))
        if (keys.length === 0) break
        await s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: keys } }))
      }
      await s3.send(new DeleteBucketCommand({ Bucket: name })).catch((err: Error) => { console.error(`could not delete bucket ${name}: ${err.message}`) })
      bucketMade = false
    }
  }
  t.teardown(async () => { await dropAll(); client.destroy(); s3.destroy() })
  process.once('SIGINT', () => { void dropAll().finally(() => process.exit(130)) })

  const table = async (tableName: string): Promise<string | undefined> => {
    tables.add(tableName)
    const out = await client.send(new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST'
    }))
    await waitUntilTableExists({ client, maxWaitTime: 300 }, { TableName: tableName })
    return out.TableDescription?.TableArn
  }

  t.test('ExportTableToPointInTime + DescribeExport through export-call, read back through the source, equal the table', async (t) => {
    const tableArn = await table(name)
    const copy = `${name}-copy`
    await table(copy)
    await client.send(new UpdateContinuousBackupsCommand({ TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
    bucketMade = true
    await s3.send(new CreateBucketCommand({ Bucket: name, ...(region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: region as never } } : {}) }))
    await seed(client, name, Array.from({ length: 50 }, (_, i) => ({ id: `k${i}`, n: i, bin: Buffer.from([i]), tags: new Set(['a', `t${i}`]), doc: { deep: [i, `s${i}`, null] } })))

    const signal = AbortSignal.timeout(3_600_000)
    const arn = await startExport(client, { table: name, tableArn: tableArn as string, bucket: name, prefix: 'exports', retries: 3, signal })
    t.match(arn, /:table\/.*\/export\//, 'an export ARN')
    let polls = 0
    const folder = await waitForExport(client, arn, { table: name, pollInterval: 30_000, retries: 3, signal, onPoll: () => { polls++ } })
    t.match(folder, new RegExp(`^s3://${name}/exports/AWSDynamoDB/`), `COMPLETED after ${polls} IN_PROGRESS answers, in the bucket asked for`)

    const records: OpenCDCRecord[] = []
    const source = createSource({ table: name, exportUrl: folder, snapshotOnly: true })
    await pipeline(source, tap((r) => { records.push(r as OpenCDCRecord) }, true), createDestination({ table: copy }))
    t.equal(records.length, 50, 'one record per item')
    t.ok(records.every((r) => r.operation === 'snapshot' && r.metadata['opencdc.collection'] === name), 'snapshot records of the table')
    t.same(await dump(client, copy), await dump(client, name), 'the export written back equals the table, types exact')
  })
}
