import t from 'tap'
import net from 'node:net'
import { once } from 'node:events'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createDynamoDBClient } from '../../../../src/aws/clients.js'
import { createSource } from '../../../../src/readable/source.js'
import { countScans, loadItems, sleepMs } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)
const table = await dynamo.createTable()
await loadItems(dynamo.client, table, Array.from({ length: 5_000 }, (_, i) => ({ id: { S: `k${i}` }, pad: { S: 'x'.repeat(100) } })))

/** A TCP proxy to DynamoDB Local that holds every response back for `delay` ms, so Scans stay in flight. */
async function slowProxy (delay: number): Promise<{ endpoint: string, requests: number, waiting: number, cut: number, close: () => void }> {
  const target = new URL(dynamo.endpoint)
  const state = { endpoint: '', requests: 0, waiting: 0, cut: 0, close: () => {} }
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    sockets.add(client)
    const upstream = net.connect(Number(target.port), target.hostname)
    sockets.add(upstream)
    let waiting = false
    const answered = (): void => { if (waiting) { waiting = false; state.waiting-- } }
    client.on('data', (chunk) => {
      if (!waiting) { waiting = true; state.waiting++; state.requests++ }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => { setTimeout(() => { if (!client.destroyed) { answered(); client.write(chunk) } }, delay) })
    const end = (): void => { if (waiting) state.cut++; answered(); client.destroy(); upstream.destroy() }
    client.on('close', end)
    client.on('error', end)
    upstream.on('close', end)
    upstream.on('error', end)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  state.endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
  state.close = () => { for (const s of sockets) s.destroy(); server.close() }
  return state
}

t.test('destroy() mid-scan aborts the Scans in flight and closes at once, without end or error', async (t) => {
  const proxy = await slowProxy(5_000)
  t.teardown(proxy.close)
  const client = createDynamoDBClient({ endpoint: proxy.endpoint })
  t.teardown(() => client.destroy())
  const source = createSource({ table, client, snapshotSegments: 4, snapshotOnly: true })
  let ended = false
  let failed: unknown
  source.on('end', () => { ended = true })
  source.on('error', (err) => { failed = err })
  source.resume()
  while (proxy.requests < 2) await sleepMs(20) // DescribeTable answered (after 5 s), Scans sent
  await sleepMs(300)
  const inFlight = proxy.waiting
  t.ok(inFlight > 0, `Scans are in flight (${inFlight} requests waiting for their answer)`)
  t.notOk(source.destroyed, 'still reading before destroy()')
  const closed = new Promise((resolve) => source.once('close', resolve))
  const started = Date.now()
  source.destroy()
  await closed
  const elapsed = Date.now() - started
  t.ok(elapsed < 1_000, `closed in ${elapsed} ms, not after the 5 s response delay`)
  await sleepMs(100)
  t.equal(proxy.waiting, 0, 'no request is left waiting')
  t.equal(proxy.cut, inFlight, 'every in-flight Scan was aborted (its connection closed before the answer)')
  t.notOk(ended, 'no end event')
  t.equal(failed, undefined, 'no error event')
})

t.test('destroy(err) mid-scan emits that error', async (t) => {
  const source = createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: 4, snapshotPageSize: 100, snapshotOnly: true })
  source.once('data', () => source.destroy(new Error('stop here')))
  const [err] = await once(source, 'error') as [Error]
  t.equal(err.message, 'stop here')
})

t.test('breaking out of for await mid-snapshot destroys the source and stops scanning', async (t) => {
  const client = createDynamoDBClient({ endpoint: dynamo.endpoint })
  t.teardown(() => client.destroy())
  const scans = countScans(client)
  const source = createSource({ table, client, snapshotSegments: 4, snapshotPageSize: 100, highWaterMark: 50, snapshotOnly: true })
  let n = 0
  for await (const record of source) {
    t.ok(record !== undefined && ++n < 250, 'records arrive', { diagnostic: false })
    if (n === 120) break
  }
  t.ok(source.destroyed, 'the source is destroyed')
  const after = scans.count
  await sleepMs(300)
  t.equal(scans.count, after, 'no Scan after the break')
  t.ok(after < 5_000 / 100, `only ${after} of the ${5_000 / 100} pages were scanned`)
})
