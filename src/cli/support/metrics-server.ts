import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { OpenCDCError } from '../../errors/index.js'
import { usageError } from './args.js'

/** A running `/metrics` endpoint: give `registry` to the source and destination as their `metrics` option. */
export interface MetricsServer {
  registry: object
  url: string
  close: () => Promise<void>
}

/** `[host:]port` → where to listen; the host defaults to 127.0.0.1 (metrics stay local unless asked). */
export function parseListen (command: string, value: string): { host: string, port: number } {
  const at = value.lastIndexOf(':')
  const host = at < 0 ? '127.0.0.1' : value.slice(0, at).replace(/^\[(.*)\]$/, '$1')
  const text = at < 0 ? value : value.slice(at + 1)
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535 || host === '') throw usageError(command, `--metrics expects [host:]port, e.g. 9464 or 0.0.0.0:9464, got ${JSON.stringify(value)}`)
  return { host, port }
}

/** Serves a fresh prom-client Registry on http://host:port/metrics until close(); undefined without --metrics. */
export async function startMetricsServer (command: string, value: string | undefined, stderr: NodeJS.WritableStream): Promise<MetricsServer | undefined> {
  if (value === undefined) return undefined
  const { host, port } = parseListen(command, value)
  let prom
  try {
    prom = createRequire(import.meta.url)('prom-client')
  } catch (err) {
    throw new OpenCDCError('ERR_DDB_USAGE', '--metrics needs the optional dependency prom-client (npm install prom-client)', { command }, { cause: err })
  }
  const registry = new prom.Registry()
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') { res.writeHead(404).end('not found: try /metrics\n'); return }
    registry.metrics().then((text: string) => { res.writeHead(200, { 'content-type': registry.contentType }).end(text) },
      (err: Error) => { res.writeHead(500).end(`${err.message}\n`) })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => { reject(new OpenCDCError('ERR_DDB_USAGE', `--metrics ${value}: cannot listen: ${err.message}`, { command }, { cause: err })) })
    server.listen(port, host, () => { resolve() })
  })
  server.unref()
  const address = server.address() as AddressInfo
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/metrics`
  stderr.write(`metrics on ${url}\n`)
  return {
    registry,
    url,
    close: async () => { server.closeAllConnections(); await new Promise<void>((resolve) => { server.close(() => { resolve() }) }) }
  }
}
