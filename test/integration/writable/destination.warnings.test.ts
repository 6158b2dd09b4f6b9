import t from 'tap'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord } from '../../../src/model/record.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { run } from './destination.fixtures.js'

const dynamo = await useDynamo(t)

t.test('32 requests in flight on one stream print no MaxListenersExceededWarning (every request listens to its abort signal)', async (t) => {
  const warnings: string[] = []
  const onWarning = (w: Error): void => { warnings.push(`${w.name}: ${w.message}`) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })
  const table = await dynamo.createTable()
  const records = Array.from({ length: 3000 }, (_, i) => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i } }))
  const dest = createDestination({ table, endpoint: dynamo.endpoint, adaptiveConcurrency: false, concurrency: 32 })
  t.equal(await run(records, dest), undefined)
  t.ok(dest.stats.peakInFlight > 10, `${dest.stats.peakInFlight} requests were in flight at once`)
  await new Promise((resolve) => setImmediate(resolve)) // warnings are emitted on the next tick
  t.same(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), [])
})
