import t from 'tap'
import { once } from 'node:events'
import { createDestination } from '../../../src/writable/destination.js'
import type { StallReport } from '../../../src/metrics/stall.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { useFaultProxy } from '../../helpers/fault-proxy.js'

const dynamo = await useDynamo(t)

const record = (i: number): OpenCDCRecord => ({ position: Buffer.from(`p${i}`), operation: 'create', metadata: {}, key: { id: `k${i}` }, payload: { before: null, after: { id: `k${i}`, n: i } } })

t.test('a destination whose BatchWriteItem gets no answer emits a stall naming the records waiting and the writes in flight', async (t) => {
  const table = await dynamo.createTable()
  // DynamoDB Local behind a proxy that holds every BatchWriteItem answer back for 10 minutes.
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'slow', operations: ['BatchWriteItem'], delayMs: 600_000 }])
  const dest = createDestination({ table, endpoint: proxy.endpoint, stallTimeout: 300, maxRetries: 0, adaptiveConcurrency: false, concurrency: 2 })
  t.teardown(() => { dest.destroy() })
  dest.on('error', () => {})
  for (let i = 0; i < 60; i++) dest.write(record(i))
  const timer = setTimeout(() => { dest.destroy(new Error('no stall event within 60 s')) }, 60_000)
  const [report] = await once(dest, 'stall') as [StallReport]
  clearTimeout(timer)
  t.equal(report.component, `destination (table ${table})`)
  t.equal(report.phase, 'write')
  t.equal(report.waiting, 60, 'every record given to write() is still waiting')
  t.equal(report.inFlight, 2, 'both BatchWriteItem calls are in flight')
  t.match(report.message, /^destination \(table .+\) stalled: nothing moved for \d+ms in the write phase; 60 records waiting to be written; 2 writes in flight$/)
})
