import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb'
import { rng } from './random.js'

const keyOf = (i: number): string => `m${String(i).padStart(5, '0')}`

/** Fills a table with `count` items (ids m00000…), one BatchWriteItem at a time (NOTES §5: never concurrent on a stream-enabled table). */
export async function fillTable (client: DynamoDBClient, table: string, count: number, seed: number): Promise<void> {
  const r = rng(seed)
  for (let i = 0; i < count; i += 25) {
    const writes: WriteRequest[] = []
    for (let j = i; j < Math.min(count, i + 25); j++) {
      writes.push({ PutRequest: { Item: { id: { S: keyOf(j) }, ver: { N: '0' }, v: { N: String(Math.floor(r() * 1e9)) }, pad: { S: 'p'.repeat(Math.floor(r() * 300)) } } } })
    }
    let left: WriteRequest[] = writes
    while (left.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: left } }))
      left = out.UnprocessedItems?.[table] ?? []
    }
  }
}

export interface Mutator {
  /** Writes done so far (puts, updates, deletes). */
  readonly writes: number
  /** Stops after the write in flight and resolves once it finished. */
  stop: () => Promise<void>
}

/**
 * Mutates a table one request at a time until stopped: puts (new or existing ids), updates of an
 * attribute, deletes. Every write carries a new `ver`, so a destination that misses or reorders one differs.
 */
export function startMutator (client: DynamoDBClient, table: string, opts: { seed: number, keySpace: number, pauseMs?: number }): Mutator {
  const r = rng(opts.seed)
  let writes = 0
  let stopped = false
  let ver = 0
  const loop = (async () => {
    while (!stopped) {
      const id = { S: keyOf(Math.floor(r() * opts.keySpace)) }
      const roll = r()
      ver++
      if (roll < 0.5) {
        await client.send(new PutItemCommand({ TableName: table, Item: { id, ver: { N: String(ver) }, v: { N: String(Math.floor(r() * 1e9)) }, pad: { S: 'q'.repeat(Math.floor(r() * 300)) } } }))
      } else if (roll < 0.85) {
        await client.send(new UpdateItemCommand({ TableName: table, Key: { id }, UpdateExpression: 'SET ver = :ver, u = :u', ExpressionAttributeValues: { ':ver': { N: String(ver) }, ':u': { S: `u${ver}` } } }))
      } else {
        await client.send(new DeleteItemCommand({ TableName: table, Key: { id } }))
      }
      writes++
      if (opts.pauseMs !== undefined && opts.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs))
    }
  })()
  return {
    get writes () { return writes },
    stop: async () => { stopped = true; await loop }
  }
}
