import net from 'node:net'
import { isLoopback } from '../../aws/clients.js'
import { OpenCDCError } from '../../errors/index.js'

/** The endpoint a side's settings name (flag, aws.url, or DYNAMODB_ENDPOINT already merged in). */
function endpointOf (settings: Record<string, unknown>): string | undefined {
  const e = settings.endpoint ?? settings['aws.url']
  return typeof e === 'string' && e !== '' ? e : undefined
}

/**
 * A loopback endpoint with nothing listening is a stopped DynamoDB Local, not a transient fault: the SDK's
 * retries would spend ~20 s before saying ECONNREFUSED. Remote endpoints (real AWS) are never probed, so their retries stay.
 */
export async function assertLoopbackListening (settings: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
  const endpoint = endpointOf(settings)
  if (endpoint === undefined || !isLoopback(endpoint)) return
  const url = new URL(endpoint)
  const port = Number(url.port !== '' ? url.port : url.protocol === 'https:' ? 443 : 80)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const refused = await new Promise<Error | undefined>((resolve) => {
    const socket = net.connect({ host, port, ...(signal !== undefined ? { signal } : {}) })
    socket.setTimeout(2000)
    const done = (err?: Error): void => { socket.destroy(); resolve(err) }
    socket.once('connect', () => done())
    socket.once('timeout', () => done())
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? err : undefined))
  })
  if (refused !== undefined) {
    throw new OpenCDCError('ERR_DDB_ENDPOINT_REFUSED', `nothing is listening on ${endpoint} (connection refused)`, { endpoint }, { cause: refused })
  }
}
