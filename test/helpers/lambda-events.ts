import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LambdaStreamRecord } from '../../src/lambda/event.js'

export async function streamArnOf (client: DynamoDBClient, table: string): Promise<string> {
  const arn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn
  if (arn === undefined) throw new Error(`table ${table} has no stream`)
  return arn
}

export interface RawRecord { eventID?: string, eventName?: string, eventVersion?: string, awsRegion?: string, dynamodb?: Record<string, unknown>, userIdentity?: { Type?: string, PrincipalId?: string } }

// GetRecords over plain HTTP, its body parsed by JSON.parse as Lambda's runtime parses the event: the SDK's own
// deserializer loses a nested "__proto__" attribute (its value comes back undefined).
async function rawGetRecords (endpoint: string, iterator: string): Promise<{ Records?: RawRecord[], NextShardIterator?: string }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDBStreams_20120810.GetRecords',
      // DynamoDB Local reads the access key from the header and checks no signature.
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00'
    },
    body: JSON.stringify({ ShardIterator: iterator, Limit: 1000 })
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`GetRecords: HTTP ${res.status}: ${text.slice(0, 300)}`)
  return JSON.parse(text) as { Records?: RawRecord[], NextShardIterator?: string }
}

/** Reads every shard from TRIM_HORIZON until `count` records came: each record's JSON exactly as GetRecords sent it. */
export async function readStream (endpoint: string, streams: DynamoDBStreamsClient, streamArn: string, count: number, timeoutMs = 60_000): Promise<RawRecord[]> {
  const out: RawRecord[] = []
  const deadline = Date.now() + timeoutMs
  const desc = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))
  for (const shard of desc.StreamDescription?.Shards ?? []) {
    let it = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator
    while (it !== undefined && out.length < count) {
      if (Date.now() > deadline) throw new Error(`readStream: ${out.length} of ${count} records after ${timeoutMs} ms`)
      const page = await rawGetRecords(endpoint, it)
      out.push(...(page.Records ?? []))
      it = page.NextShardIterator
      if ((page.Records ?? []).length === 0) await sleep(50)
    }
  }
  return out
}

/**
 * One GetRecords record as an event source mapping delivers it: the same JSON (binaries base64, the time in epoch
 * seconds) plus eventSource and eventSourceARN, with userIdentity in Lambda's lower case.
 */
export function asLambdaRecord (r: RawRecord, streamArn: string): LambdaStreamRecord {
  const { userIdentity, ...rest } = r
  const doc = {
    ...rest,
    eventSource: 'aws:dynamodb',
    eventSourceARN: streamArn,
    ...(userIdentity !== undefined ? { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } } : {})
  }
  return JSON.parse(JSON.stringify(doc)) as LambdaStreamRecord
}

/** The event envelopes a mapping with BatchSize `size` would invoke the function with. */
export function lambdaBatches (records: LambdaStreamRecord[], size: number): Array<{ Records: LambdaStreamRecord[] }> {
  const out: Array<{ Records: LambdaStreamRecord[] }> = []
  for (let i = 0; i < records.length; i += size) out.push({ Records: records.slice(i, i + size) })
  return out
}
