import t from 'tap'
import net from 'node:net'
import { assertLoopbackListening } from '../../../src/cli/support/endpoint-probe.js'
import { cli } from './cli.spawn.js'

/** A loopback port nothing listens on: bound once, then closed. */
async function closedPort (): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

const port = await closedPort()
const endpoint = `http://127.0.0.1:${port}`

// Issue 17: a wrong port gave ~23 s of silence, then a bare ECONNREFUSED.
t.test('read, write and copy on a refused loopback endpoint fail with ERR_DDB_ENDPOINT_REFUSED and a hint to start local', async (t) => {
  for (const args of [['read', '--table', 'orders'], ['write', '--table', 'orders'], ['copy', '--from', 'a', '--to', 'b']]) {
    const res = await cli([...args, '--endpoint', endpoint], { input: '' })
    t.equal(res.code, 1, args[0])
    t.match(res.stderr, new RegExp(`${args[0]}: nothing is listening on ${endpoint} \\(connection refused\\) \\[ERR_DDB_ENDPOINT_REFUSED\\]\\nhint: is \`dynamodb-opencdc local\` running\\?`), args[0])
  }
  const viaEnv = await cli(['read', '--table', 'orders'], { env: { DYNAMODB_ENDPOINT: `http://localhost:${port}` } })
  t.match(viaEnv.stderr, /ERR_DDB_ENDPOINT_REFUSED/, 'DYNAMODB_ENDPOINT on localhost too')
})

t.test('the probe passes a listening loopback endpoint and never touches a remote one', async (t) => {
  const server = net.createServer((s) => s.destroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  await t.resolves(assertLoopbackListening({ endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` }))
  let connected = false
  server.on('connection', () => { connected = true })
  // A refused remote endpoint must keep the SDK's retries: the probe does not look at it at all.
  await t.resolves(assertLoopbackListening({ 'aws.url': `http://192.0.2.1:${port}` }))
  await t.resolves(assertLoopbackListening({}))
  t.equal(connected, false)
})
