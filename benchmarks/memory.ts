// memory.stalled-consumer: peak RSS growth while a snapshot feeds a consumer that stopped reading,
// against a seed-style reader that buffers the whole table. Each measurement runs in its own process.
import { execFileSync } from 'node:child_process'
import { CreateTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createDynamoDBClient } from '../src/aws/clients.js'
import { fromAttributeMap } from '../src/model/codec.js'
import { createSource } from '../src/readable/source.js'
import { fill } from './snapshot.js'

const SETTLE_MS = 4000

async function measure (mode: 'ours' | 'buffered', endpoint: string, table: string): Promise<number> {
  const base = process.memoryUsage().rss
  let peak = base
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 50)
  try {
    if (mode === 'ours') {
      const source = createSource({ table, endpoint, snapshotOnly: true })
      let seen = 0
      await new Promise<void>((resolve, reject) => {
        source.on('error', reject)
        source.on('data', () => {
          // The consumer reads 1,000 records, then stalls for good.
          if (++seen === 1000) { source.pause(); setTimeout(resolve, SETTLE_MS) }
        })
      })
      source.destroy()
    } else {
      // What an unbounded reader does: scan on regardless of the consumer, holding every record.
      const client = createDynamoDBClient({ endpoint })
      const held: unknown[] = []
      let start: Record<string, never> | undefined
      do {
        const out = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }))
        for (const item of out.Items ?? []) held.push(fromAttributeMap(item))
        start = out.LastEvaluatedKey as typeof start
      } while (start !== undefined)
      await new Promise((resolve) => setTimeout(resolve, 200))
      client.destroy()
      if (held.length === 0) throw new Error('nothing read')
    }
  } finally {
    clearInterval(sampler)
  }
  return (peak - base) / 2 ** 20
}

/** Peak RSS growth in MiB (lower is better) for ours with a stalled consumer vs a whole-table buffer. */
export async function runMemoryBench ({ endpoint, items }: { endpoint: string, items: number }): Promise<{ ours: number, baseline: number }> {
  const client = createDynamoDBClient({ endpoint })
  const table = `bench_mem_${Math.random().toString(36).slice(2, 10)}`
  try {
    await client.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
    await fill(client, table, items)
  } finally {
    client.destroy()
  }
  const run = (mode: string): number => Number(execFileSync(process.execPath, [fileURLToPath(import.meta.url), mode, endpoint, table], { encoding: 'utf8' }).trim())
  return { ours: run('ours'), baseline: run('buffered') }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && (process.argv[2] === 'ours' || process.argv[2] === 'buffered')) {
  const mb = await measure(process.argv[2], process.argv[3] as string, process.argv[4] as string)
  process.stdout.write(`${mb.toFixed(1)}\n`)
}
