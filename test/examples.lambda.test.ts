import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse, type ScalarTag } from 'yaml'
import { useDynamo } from './helpers/dynamo.js'
import { asLambdaRecord, lambdaBatches, readStream, streamArnOf } from './helpers/lambda-events.js'
import { createUniverseTable, diffItems, putItems, scanAll, universe, PK } from './helpers/universe.js'

// examples/lambda: the SAM template's mapping settings, and handler.mjs run against DynamoDB Local (no Lambda runtime here).
const DIR = fileURLToPath(new URL('../examples/lambda/', import.meta.url))

// CloudFormation's short forms, kept as the long form they stand for.
const cfn = (tag: string, key: string): ScalarTag => ({ tag, resolve: (value: string) => ({ [key]: value }) })
const template = parse(readFileSync(DIR + 'template.yaml', 'utf8'), { customTags: [cfn('!Ref', 'Ref'), cfn('!Sub', 'Fn::Sub'), cfn('!GetAtt', 'Fn::GetAtt')] }) as {
  Resources: Record<string, { Type: string, Properties: Record<string, any> }>
}

t.test('the template maps the stream onto the function as docs/lambda.md requires', async (t) => {
  const mappings = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')
  t.equal(mappings.length, 1)
  const m = mappings[0]?.Properties ?? {}
  t.equal(m.StartingPosition, 'TRIM_HORIZON')
  t.same(m.FunctionResponseTypes, ['ReportBatchItemFailures'])
  t.equal(m.BisectBatchOnFunctionError, false, 'bisecting breaks per-key order')
  t.ok(Number.isInteger(m.ParallelizationFactor) && m.ParallelizationFactor >= 1 && m.ParallelizationFactor <= 10, 'ParallelizationFactor 1–10')
  t.ok(Number.isInteger(m.MaximumRetryAttempts) && m.MaximumRetryAttempts >= 0, 'a finite MaximumRetryAttempts')
  const queue = m.DestinationConfig?.OnFailure?.Destination?.['Fn::GetAtt'] as string
  t.equal(template.Resources[queue.split('.')[0] as string]?.Type, 'AWS::SQS::Queue', 'on-failure destination is an SQS queue')
})

t.test('the function may read the stream and write the destination table, and nothing else', async (t) => {
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Serverless::Function')
  t.equal(fn?.Properties.Handler, 'handler.handler')
  const statements = (fn?.Properties.Policies as Array<{ Statement: Array<{ Effect: string, Action: string[], Resource: unknown }> }>).flatMap((p) => p.Statement)
  const actions = statements.flatMap((s) => s.Action).sort()
  t.same(actions, ['dynamodb:BatchWriteItem', 'dynamodb:DescribeStream', 'dynamodb:DescribeTable', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', 'sqs:SendMessage'])
  for (const s of statements) {
    t.equal(s.Effect, 'Allow')
    t.notOk(JSON.stringify(s.Resource).includes('*'), `no wildcard resource for ${s.Action.join(', ')}`)
  }
})

t.test('handler.mjs copies a stream\'s real records into the destination table', async (t) => {
  const ddb = await useDynamo(t)
  const source = await createUniverseTable(ddb, 'S', { stream: 'NEW_AND_OLD_IMAGES' })
  const dest = await createUniverseTable(ddb, 'S')
  const items = universe({ key: 'S', count: 20 })
  const arn = await streamArnOf(ddb.client, source)
  const reading = readStream(ddb.endpoint, ddb.streams, arn, items.length)
  await putItems(ddb.client, source, items)
  const records = (await reading).map((r) => asLambdaRecord(r, arn))
  process.env.DYNAMODB_ENDPOINT = ddb.endpoint
  process.env.DESTINATION_TABLE = dest
  const { handler } = await import(pathToFileURL(DIR + 'handler.mjs').href) as { handler: ((e: unknown, c: unknown) => Promise<unknown>) & { close: () => void } }
  t.teardown(() => { handler.close() })
  const context = { getRemainingTimeInMillis: () => 60_000 }
  for (const batch of lambdaBatches(records, 100)) t.same(await handler(batch, context), { batchItemFailures: [] })
  t.same(diffItems(await scanAll(ddb.client, source), await scanAll(ddb.client, dest), PK), [])
})
