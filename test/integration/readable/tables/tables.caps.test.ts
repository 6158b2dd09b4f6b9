import t from 'tap'
import { randomUUID } from 'node:crypto'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createUniverseTable, putItems, universe } from '../../../helpers/universe.js'
import { createDynamoDBClient } from '../../../../src/aws/clients.js'
import { createSource } from '../../../../src/readable/source.js'
import { MemoryCheckpointStore } from '../../../../src/checkpoint/stores.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'

const ddb = await useDynamo(t)

async function tables (n: number, items: number): Promise<string[]> {
  return await Promise.all(Array.from({ length: n }, async (_, i) => {
    const table = await createUniverseTable(ddb, 'S', { name: `cap_${randomUUID().slice(0, 6)}_${i}` })
    await putItems(ddb.client, table, universe({ key: 'S', count: items, seed: 1100 + i, proto: false }).slice(-items))
    return table
  }))
}

t.test('snapshotConcurrency caps the Scans in flight across all tables together', async (t) => {
  const names = await tables(3, 15)
  const client = createDynamoDBClient({ endpoint: ddb.endpoint })
  t.teardown(() => { client.destroy() })
  let inFlight = 0
  let most = 0
  let scans = 0
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName !== 'ScanCommand') return await next(args)
    scans++
    most = Math.max(most, ++inFlight)
    try { return await next(args) } finally { inFlight-- }
  }, { step: 'initialize', name: 'countScans' })
  for (const concurrency of [1, 2]) {
    most = 0
    scans = 0
    let records = 0
    for await (const _ of createSource({ tables: names, client, snapshotOnly: true, snapshotConcurrency: concurrency, snapshotSegments: 2, snapshotPageSize: 3 })) records++
    t.equal(records, 45, `concurrency ${concurrency}: every record of the three tables`)
    t.equal(most, concurrency, `concurrency ${concurrency}: at most ${concurrency} Scans in flight over ${scans} Scans of three tables (each table alone could run ${concurrency})`)
  }
})

t.test('maxUnacked caps the records emitted and not acknowledged across all tables together', async (t) => {
  const names = await tables(3, 20)
  const source = createSource({ tables: names, endpoint: ddb.endpoint, snapshotOnly: true, checkpointStore: new MemoryCheckpointStore(), maxUnacked: 10, snapshotPageSize: 4, highWaterMark: 1 })
  const got: OpenCDCRecord[] = []
  // Reads until nothing more comes for 1.5 s (the cap reached), then acknowledges what it has.
  const drain = async (): Promise<void> => {
    for (;;) {
      let r: OpenCDCRecord | null
      while ((r = source.read() as OpenCDCRecord | null) !== null) got.push(r)
      if (source.readableEnded) return
      const more = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => { source.off('readable', on); resolve(false) }, 1500)
        const on = (): void => { clearTimeout(timer); resolve(true) }
        source.once('readable', on)
      })
      if (!more) return
    }
  }
  await drain()
  t.equal(got.length, 10, 'ten records emitted before any acknowledgement, of three tables with 20 each')
  let acked = 0
  while (!source.readableEnded && got.length < 60) {
    for (; acked < got.length; acked++) source.ack(got[acked] as OpenCDCRecord)
    const before = got.length
    await drain()
    t.ok(got.length - acked <= 10, `never more than ten unacknowledged (${got.length - acked} after ${got.length})`)
    if (got.length === before) break
  }
  t.equal(got.length, 60, 'acknowledging lets the rest through')
  source.destroy()
})
