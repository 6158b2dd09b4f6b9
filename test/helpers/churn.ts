import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Item } from './attribute-diff.js'
import { putItems } from './universe-db.js'

export interface Churn {
  /** Puts items k0…k(count-1), `v` = 0, sequentially (NOTES §5: no concurrent batches on a stream-enabled table). */
  fill: () => Promise<void>
  /** One request against a random live item, by `round % 3`: increment its `v`, delete it, or insert a new item with `v` = round. */
  write: (round: number) => Promise<void>
}

/** A table of `count` items keyed `id` = k<i> (with `pad` characters of padding each) and the single writes that change it while a reader runs. */
export function churn (client: DynamoDBClient, table: string, count: number, pad = 0): Churn {
  const item = (i: number, v: number): Item => ({ id: { S: `k${i}` }, v: { N: String(v) }, ...(pad > 0 ? { pad: { S: 'x'.repeat(pad) } } : {}) })
  const live = Array.from({ length: count }, (_, i) => i)
  let next = count
  return {
    fill: async () => { await putItems(client, table, Array.from({ length: count }, (_, i) => item(i, 0))) },
    write: async (round) => {
      const at = Math.floor(Math.random() * live.length)
      const key = { id: { S: `k${live[at] as number}` } }
      if (round % 3 === 0) {
        await client.send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'SET v = v + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }))
      } else if (round % 3 === 1) {
        live.splice(at, 1)
        await client.send(new DeleteItemCommand({ TableName: table, Key: key }))
      } else {
        live.push(next)
        await client.send(new PutItemCommand({ TableName: table, Item: item(next++, round) }))
      }
    }
  }
}
