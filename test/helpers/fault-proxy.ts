import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { crc32 } from 'node:zlib'
import { rng } from './random.js'

/** What the proxy can do to one request instead of (or on top of) forwarding it. */
export type FaultKind =
  | 'throughputExceeded' // 400 ProvisionedThroughputExceededException, nothing forwarded
  | 'throttling' // 400 ThrottlingException, nothing forwarded
  | 'unprocessed' // BatchWriteItem: some items held back and returned in UnprocessedItems
  | 'http500' // 500 InternalServerError, nothing forwarded
  | 'http503' // 503 ServiceUnavailable, nothing forwarded
  | 'reset' // the connection is destroyed before forwarding
  | 'lostResponse' // forwarded and applied, then the connection is destroyed instead of answering
  | 'slow' // forwarded, the answer is held back for delayMs
  | 'expiredIterator' // GetRecords: 400 ExpiredIteratorException
  | 'trimmedDataAccess' // GetRecords: 400 TrimmedDataAccessException
  | 'unrecognizedClient' // 400 UnrecognizedClientException (what AWS says to wrong credentials)
  | 'error' // any other AWS error: status, type and message from the rule

export const FAULT_KINDS: readonly FaultKind[] = ['throughputExceeded', 'throttling', 'unprocessed', 'http500', 'http503', 'reset',
  'lostResponse', 'slow', 'expiredIterator', 'trimmedDataAccess', 'unrecognizedClient', 'error']

/** The request a rule is matched against. */
export interface ProxyRequest {
  /** The operation from X-Amz-Target: BatchWriteItem, Scan, GetRecords … */
  operation: string
  /** DynamoDB_20120810 or DynamoDBStreams_20120810. */
  service: string
  /** TableName, or the first table of a BatchWriteItem/BatchGetItem. */
  table: string | undefined
  body: Record<string, unknown>
  /** Requests the proxy is handling as this one arrives, itself included. */
  inFlight: number
}

export interface FaultRule {
  kind: FaultKind
  /** Operations the rule applies to (default: all; unprocessed → BatchWriteItem; iterator faults → GetRecords). */
  operations?: readonly string[]
  /** Only requests for this table. */
  table?: string
  /** Any other condition on the request. */
  match?: (req: ProxyRequest) => boolean
  /** Chance per matching request, drawn from the proxy's seeded generator (default 1). */
  probability?: number
  /** Let this many matching requests pass untouched first. */
  after?: number
  /** Inject at most this many times (default unlimited). */
  times?: number
  /** slow: how long the answer is held back (default 300 ms). */
  delayMs?: number
  /** unprocessed: share of the batch held back, at least one item and never the whole batch (default 0.5). */
  fraction?: number
  /** error: HTTP status (default 400), AWS error type and message. */
  status?: number
  type?: string
  message?: string
}

export interface FaultProxyOptions {
  /** The DynamoDB endpoint requests are forwarded to. */
  target: string
  /** Seed of the generator behind probability and the choice of unprocessed items. */
  seed?: number
  rules?: readonly FaultRule[]
  /** Sees every request DynamoDB really receives (a BatchWriteItem as rewritten, minus held-back items). */
  observe?: (req: ProxyRequest) => void
}

export interface FaultProxy {
  /** Point the SDK client here. */
  endpoint: string
  /** Rules are tried in order; the first that matches and wins its draw is applied. Replaceable at any time. */
  rules: FaultRule[]
  /** Faults injected per kind ('error' rules are counted under their type). */
  readonly injected: Record<string, number>
  /** Requests received per operation. */
  readonly requests: Record<string, number>
  /** Items held back in UnprocessedItems so far. */
  readonly unprocessedItems: number
  /** Sum of all injected faults. */
  totalInjected: () => number
  /** Zeroes the counters (rules keep their own after/times state until replaced). */
  resetCounts: () => void
  close: () => Promise<void>
}

const DDB = 'com.amazonaws.dynamodb.v20120810#'
const CORAL = 'com.amazon.coral.service#'

interface Canned { status: number, type: string, message: string }

const CANNED: Partial<Record<FaultKind, Canned>> = {
  throughputExceeded: { status: 400, type: DDB + 'ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.' },
  throttling: { status: 400, type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  http500: { status: 500, type: DDB + 'InternalServerError', message: 'Internal server error (injected)' },
  http503: { status: 503, type: CORAL + 'ServiceUnavailableException', message: 'Service unavailable (injected)' },
  expiredIterator: { status: 400, type: DDB + 'ExpiredIteratorException', message: 'Iterator expired. The iterator was created more than 15 minutes ago.' },
  trimmedDataAccess: { status: 400, type: DDB + 'TrimmedDataAccessException', message: 'The operation attempted to read past the oldest stream record in a shard.' },
  unrecognizedClient: { status: 400, type: CORAL + 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }
}

const DEFAULT_OPERATIONS: Partial<Record<FaultKind, readonly string[]>> = {
  unprocessed: ['BatchWriteItem'],
  expiredIterator: ['GetRecords'],
  trimmedDataAccess: ['GetRecords']
}

type WriteRequest = Record<string, unknown>

function describe (headers: http.IncomingHttpHeaders, raw: Buffer): Omit<ProxyRequest, 'inFlight'> {
  const target = String(headers['x-amz-target'] ?? '')
  const [service = '', operation = ''] = target.split('.')
  let body: Record<string, unknown> = {}
  try { body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) as Record<string, unknown> : {} } catch {}
  const items = body.RequestItems as Record<string, unknown> | undefined
  const table = typeof body.TableName === 'string' ? body.TableName : items !== undefined ? Object.keys(items)[0] : undefined
  return { operation, service, table, body }
}

/**
 * Starts a fault-injecting HTTP proxy in front of a DynamoDB (Local) endpoint. The real AWS SDK talks
 * to it; it reads the JSON 1.0 requests and answers some with the faults AWS produces, by rule and seed.
 * DynamoDB Local does not check SigV4 signatures, so rewritten request bodies are forwarded as they are.
 */
export async function startFaultProxy (opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target)
  const random = rng(opts.seed ?? 1)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  let injected: Record<string, number> = {}
  let requests: Record<string, number> = {}
  let unprocessedItems = 0
  const state = new WeakMap<FaultRule, { seen: number, used: number }>()
  const sockets = new Set<import('node:net').Socket>()

  const count = (kind: string): void => { injected[kind] = (injected[kind] ?? 0) + 1 }

  const pick = (req: ProxyRequest): FaultRule | undefined => {
    for (const rule of proxy.rules) {
      const ops = rule.operations ?? DEFAULT_OPERATIONS[rule.kind]
      if (ops !== undefined && !ops.includes(req.operation)) continue
      if (rule.table !== undefined && rule.table !== req.table) continue
      if (rule.match !== undefined && !rule.match(req)) continue
      if (rule.kind === 'unprocessed' && batchSize(req.body) < 2) continue
      const s = state.get(rule) ?? { seen: 0, used: 0 }
      state.set(rule, s)
      s.seen++
      if (s.seen <= (rule.after ?? 0)) continue
      if (rule.times !== undefined && s.used >= rule.times) continue
      if (random() >= (rule.probability ?? 1)) continue
      s.used++
      return rule
    }
    return undefined
  }

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<{ status: number, headers: http.IncomingHttpHeaders, body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) }
      delete headers['accept-encoding']
      const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers, agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      })
      up.on('error', reject)
      up.end(body)
    })

  const answer = (res: http.ServerResponse, status: number, headers: http.IncomingHttpHeaders, body: Buffer): void => {
    if (res.destroyed) return
    const out: http.OutgoingHttpHeaders = { ...headers, 'content-length': String(body.length) }
    delete out['transfer-encoding']
    if (out['x-amz-crc32'] !== undefined) out['x-amz-crc32'] = String(crc32(body))
    res.writeHead(status, out)
    res.end(body)
  }

  const fail = (res: http.ServerResponse, canned: Canned): void => {
    const body = Buffer.from(JSON.stringify({ __type: canned.type, message: canned.message }))
    answer(res, canned.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-${Date.now()}`, 'x-amzn-errortype': canned.type.split('#')[1] }, body)
  }

  let active = 0
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> => {
    active++
    res.on('close', () => { active-- })
    const info = { ...describe(req.headers, raw), inFlight: active }
    requests[info.operation] = (requests[info.operation] ?? 0) + 1
    const rule = pick(info)
    if (rule === undefined) {
      opts.observe?.(info)
      const up = await forward(req, raw)
      answer(res, up.status, up.headers, up.body)
      return
    }
    const canned = rule.kind === 'error'
      ? { status: rule.status ?? 400, type: rule.type ?? DDB + 'ValidationException', message: rule.message ?? 'injected error' }
      : CANNED[rule.kind]
    count(rule.kind === 'error' ? (canned as Canned).type.split('#').at(-1) as string : rule.kind)
    if (canned !== undefined) { fail(res, canned); return }
    switch (rule.kind) {
      case 'reset':
        req.socket.destroy()
        return
      case 'lostResponse':
        opts.observe?.(info)
        await forward(req, raw)
        req.socket.destroy()
        return
      case 'slow': {
        opts.observe?.(info)
        const up = await forward(req, raw)
        // Unref: a long hold must not keep the test process alive after the proxy is closed.
        await new Promise((resolve) => { setTimeout(resolve, rule.delayMs ?? 300).unref() })
        answer(res, up.status, up.headers, up.body)
        return
      }
      case 'unprocessed': {
        const { forwarded, held, heldCount } = splitBatch(info.body, rule.fraction ?? 0.5, random)
        unprocessedItems += heldCount
        const body = { ...info.body, RequestItems: forwarded }
        opts.observe?.({ ...info, body })
        const up = await forward(req, Buffer.from(JSON.stringify(body)))
        if (up.status !== 200) { answer(res, up.status, up.headers, up.body); return }
        const out = JSON.parse(up.body.toString('utf8')) as { UnprocessedItems?: Record<string, WriteRequest[]> }
        const merged: Record<string, WriteRequest[]> = { ...(out.UnprocessedItems ?? {}) }
        for (const [table, list] of Object.entries(held)) merged[table] = [...(merged[table] ?? []), ...list]
        answer(res, up.status, up.headers, Buffer.from(JSON.stringify({ ...out, UnprocessedItems: merged })))
      }
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch(() => { req.socket.destroy() })
    })
  })
  server.keepAliveTimeout = 5_000
  server.on('connection', (socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const proxy: FaultProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    rules: [...(opts.rules ?? [])],
    get injected () { return injected },
    get requests () { return requests },
    get unprocessedItems () { return unprocessedItems },
    totalInjected: () => Object.values(injected).reduce((a, b) => a + b, 0),
    resetCounts: () => { injected = {}; requests = {}; unprocessedItems = 0 },
    close: async () => {
      for (const socket of sockets) socket.destroy()
      agent.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  return proxy
}

function batchSize (body: Record<string, unknown>): number {
  const items = body.RequestItems as Record<string, unknown[]> | undefined
  return items === undefined ? 0 : Object.values(items).reduce((n, list) => n + (Array.isArray(list) ? list.length : 0), 0)
}

/** Chooses, with the seeded generator, which write requests of a batch are held back (at least one, never all). */
function splitBatch (body: Record<string, unknown>, fraction: number, random: () => number): { forwarded: Record<string, WriteRequest[]>, held: Record<string, WriteRequest[]>, heldCount: number } {
  const all: Array<[string, WriteRequest]> = []
  for (const [table, list] of Object.entries(body.RequestItems as Record<string, WriteRequest[]>)) for (const w of list) all.push([table, w])
  const want = Math.min(all.length - 1, Math.max(1, Math.round(all.length * fraction)))
  const order = all.map((_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const tmp = order[i] as number
    order[i] = order[j] as number
    order[j] = tmp
  }
  const heldIdx = new Set(order.slice(0, want))
  const forwarded: Record<string, WriteRequest[]> = {}
  const held: Record<string, WriteRequest[]> = {}
  all.forEach(([table, w], i) => {
    const into = heldIdx.has(i) ? held : forwarded
    ;(into[table] ??= []).push(w)
  })
  return { forwarded, held, heldCount: want }
}

/** A fault proxy in front of `target` for one test, closed at its teardown. */
export async function useFaultProxy (t: { teardown: (fn: () => unknown) => void }, target: string, rules: FaultRule[], seed = 1): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ target, seed, rules })
  t.teardown(() => proxy.close())
  return proxy
}
