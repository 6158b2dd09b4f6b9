import t, { type Test } from 'tap'
import { once } from 'node:events'
import { createDestination } from '../../../src/writable/destination.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { startFaultProxy } from '../../helpers/fault-proxy.js'

const dynamo = await useDynamo(t)
const table = await dynamo.createTable()

// The destination's start-up DescribeTable is held back 5 s by the proxy, so destroy() lands while it is in flight.
async function slowStart (t: Test): Promise<string> {
  const proxy = await startFaultProxy({ target: dynamo.endpoint, rules: [{ kind: 'slow', operations: ['DescribeTable'], delayMs: 5000 }] })
  t.teardown(() => proxy.close())
  return proxy.endpoint
}

t.test('destroy() during start-up closes at once, without an error, and cancels the DescribeTable', async (t) => {
  const dest = createDestination({ table, endpoint: await slowStart(t) })
  const errors: Error[] = []
  dest.on('error', (err) => errors.push(err))
  await new Promise((resolve) => setTimeout(resolve, 100))
  const started = Date.now()
  dest.destroy()
  await once(dest, 'close')
  t.ok(Date.now() - started < 2000, `closed in ${Date.now() - started} ms, before the held-back answer`)
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.same(errors, [], 'no error event: the caller asked for the stop')
})

t.test('destroy(err) during start-up emits that error, not the cancelled call', async (t) => {
  const dest = createDestination({ table, endpoint: await slowStart(t) })
  const reason = new Error('caller gave up')
  const errored = once(dest, 'error')
  await new Promise((resolve) => setTimeout(resolve, 100))
  dest.destroy(reason)
  const [err] = await errored
  t.equal(err, reason)
})

t.test('destroy() during start-up against an endpoint that went away emits no error later', async (t) => {
  const proxy = await startFaultProxy({ target: dynamo.endpoint })
  const endpoint = proxy.endpoint
  await proxy.close() // every attempt is now refused, and the SDK retries
  const dest = createDestination({ table, endpoint })
  const errors: Error[] = []
  dest.on('error', (err) => errors.push(err))
  dest.destroy()
  await once(dest, 'close')
  await new Promise((resolve) => setTimeout(resolve, 1500)) // longer than the SDK's retries of a refused connection
  t.same(errors, [], 'no ECONNREFUSED after the stream was destroyed')
})

t.test('a start-up failure without destroy() is still reported', async (t) => {
  const dest = createDestination({ table: 'no-such-table', endpoint: dynamo.endpoint })
  const [err] = await once(dest, 'error')
  t.match(err, { code: 'ERR_DDB_TABLE_NOT_FOUND' })
})
