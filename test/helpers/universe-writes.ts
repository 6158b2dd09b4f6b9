import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { rng } from './random.js'
import { diffItems, keyValue, scanAll, universe, PK, type Item, type KeyType } from './universe.js'

export interface UniverseWriter {
  /** Writes finished so far, by kind. */
  readonly counts: { insert: number, modify: number, remove: number }
  readonly writes: number
  /** Stops after the write in flight; rejects if a write failed. */
  stop: () => Promise<void>
}

/**
 * Low-level writes of universe values into a table keyed by `pk` (no sort key) holding `items`, until stopped:
 * inserts of new universe items, modifications (a whole item replaced by another universe body, or one
 * attribute set to another universe value) and removes, in turn. Big items are only ever removed. No `__proto__`
 * names: the AWS SDK's stream deserializer loses their values (see universe.handoff.test.ts).
 */
export function startUniverseWriter (client: DynamoDBClient, table: string, items: Item[], opts: { key: KeyType, seed: number, pauseMs?: number, max?: number }): UniverseWriter {
  const r = rng(opts.seed)
  const donors = universe({ key: opts.key, seed: opts.seed, count: 40, proto: false }).filter((d) => !(d.case?.S ?? '').startsWith('big-'))
  const live = items.map((item) => ({ key: { [PK]: item[PK] } as Item, big: (item.case?.S ?? '').startsWith('big-') }))
  const counts = { insert: 0, modify: 0, remove: 0 }
  let stopped = false
  let next = 0
  const body = (): Item => {
    const { [PK]: _k, ...rest } = donors[Math.floor(r() * donors.length)] as Item
    return rest
  }
  const run = (async () => {
    for (let round = 0; !stopped && round < (opts.max ?? 10_000); round++) {
      const at = Math.floor(r() * live.length)
      const target = live[at]
      if (round % 3 === 0 || target === undefined) {
        const key: Item = { [PK]: keyValue(opts.key, 5000 + next++, 2048) }
        await client.send(new PutItemCommand({ TableName: table, Item: { ...body(), ...key } }))
        live.push({ key, big: false })
        counts.insert++
      } else if (round % 3 === 1 && !target.big) {
        if (r() < 0.5) {
          await client.send(new PutItemCommand({ TableName: table, Item: { ...body(), ...target.key } }))
        } else {
          const [name, value] = Object.entries(body()).filter(([n]) => n !== 'case')[0] ?? ['x', { S: 'x' }]
          await client.send(new UpdateItemCommand({ TableName: table, Key: target.key, UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': name }, ExpressionAttributeValues: { ':v': value } }))
        }
        counts.modify++
      } else {
        live.splice(at, 1)
        await client.send(new DeleteItemCommand({ TableName: table, Key: target.key }))
        counts.remove++
      }
      if (opts.pauseMs !== undefined) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs))
    }
  })()
  run.catch(() => {})
  return {
    counts,
    get writes () { return counts.insert + counts.modify + counts.remove },
    stop: async () => { stopped = true; await run }
  }
}

/** Polls until the two tables hold the same items (diffItems = []) or the timeout passes; the last differences. */
export async function untilEqual (client: DynamoDBClient, source: string, dest: string, keys: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const diff = diffItems(await scanAll(client, source), await scanAll(client, dest), keys)
    if (diff.length === 0 || Date.now() > deadline) return diff
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
