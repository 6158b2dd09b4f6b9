import t from 'tap'
import { randomBytes } from 'node:crypto'
import { CreateTableCommand, DeleteTableCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createDynamoDBClient } from '../../src/aws/clients.js'
import { cli } from '../integration/cli/cli.spawn.js'
import { dump, seed } from '../integration/cli/cli.tables.js'
import { realAwsMode } from './mode.js'

// npm run test:aws: key scenarios on real DynamoDB (or DYNAMODB_ENDPOINT); never part of npm test.
const mode = realAwsMode()
if (!mode.run) {
  t.test('real-AWS suite', { skip: mode.why }, async () => {})
} else {
  t.comment(mode.why)
  const client: DynamoDBClient = createDynamoDBClient(mode.endpoint !== undefined ? { endpoint: mode.endpoint } : {})
  const prefix = `dynamodb-opencdc-test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const created = new Set<string>()
  const dropAll = async (): Promise<void> => {
    for (const name of created) {
      await client.send(new DeleteTableCommand({ TableName: name })).catch((err: Error) => { if (err.name !== 'ResourceNotFoundException') console.error(`could not delete ${name}: ${err.message}`) })
      created.delete(name)
    }
  }
  // Tables are deleted on success, failure and Ctrl-C alike: an on-demand table left behind still costs storage.
  t.teardown(dropAll)
  process.once('SIGINT', () => { void dropAll().finally(() => process.exit(130)) })
  const table = async (suffix: string, stream: boolean): Promise<string> => {
    const name = `${prefix}-${suffix}`
    created.add(name)
    await client.send(new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {})
    }))
    await waitUntilTableExists({ client, maxWaitTime: 300 }, { TableName: name })
    return name
  }
  const env = mode.endpoint !== undefined ? { DYNAMODB_ENDPOINT: mode.endpoint } : {}

  t.test('copy --snapshot-only gives an identical on-demand table', async (t) => {
    const from = await table('from', true)
    const to = await table('to', false)
    await seed(client, from, Array.from({ length: 120 }, (_, i) => ({ id: `k${i}`, n: i, tags: new Set(['a', `t${i}`]) })))
    const res = await cli(['copy', '--from', from, '--to', to, '--snapshot-only'], { env, timeoutMs: 600_000 })
    t.equal(res.code, 0, res.stderr)
    t.same(await dump(client, to), await dump(client, from))
  })

  t.test('read | write round trip through text on the same tables', async (t) => {
    const from = await table('rt-from', false)
    const to = await table('rt-to', false)
    await seed(client, from, [{ id: 'a', bin: Buffer.from('x'), big: 1 }])
    const read = await cli(['read', '--table', from, '--snapshot-only'], { env, timeoutMs: 600_000 })
    t.equal(read.code, 0, read.stderr)
    const write = await cli(['write', '--table', to], { env, input: read.stdout, timeoutMs: 600_000 })
    t.equal(write.code, 0, write.stderr)
    t.same(await dump(client, to), await dump(client, from))
  })

  t.test('every table this run created is deleted at the end', async (t) => {
    t.ok([...created].every((n) => n.startsWith(prefix)), `unique names under ${prefix}`)
    await dropAll()
    t.equal(created.size, 0)
  })
}
