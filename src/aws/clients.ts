import { setMaxListeners } from 'node:events'
import http from 'node:http'
import https from 'node:https'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { credentialPlan, credentialsOf, type CredentialOptions } from './credentials.js'
import { OpenCDCError, scrubAwsError } from '../errors/index.js'

export interface ClientOptions extends CredentialOptions {
  region?: string
  endpoint?: string
  maxSockets?: number
  maxAttempts?: number
}

export function isLoopback (endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname
    return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.')
  } catch {
    return false
  }
}

/** Everything both SDK clients take: region, endpoint, credentials and a keep-alive agent. */
export function clientConfig (opts: ClientOptions): Record<string, unknown> {
  const endpoint = opts.endpoint ?? (process.env.DYNAMODB_ENDPOINT !== undefined && process.env.DYNAMODB_ENDPOINT !== '' ? process.env.DYNAMODB_ENDPOINT : undefined)
  if (endpoint !== undefined) {
    try { new URL(endpoint) } catch { // eslint-disable-line no-new
      throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `aws.url: expected an URL like http://localhost:8000, got ${JSON.stringify(endpoint)}`, { option: 'aws.url' })
    }
  }
  const region = opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (endpoint !== undefined ? 'us-east-1' : undefined)
  if (region === undefined) {
    throw new OpenCDCError('ERR_DDB_MISSING_OPTION', 'aws.region: a region is required (set aws.region / region or AWS_REGION)', { option: 'aws.region' })
  }
  const config: Record<string, unknown> = { region, maxAttempts: opts.maxAttempts ?? 3 }
  if (endpoint !== undefined) config.endpoint = endpoint
  const credentials = credentialsOf(credentialPlan(opts, { region, loopback: endpoint !== undefined && isLoopback(endpoint), env: process.env }))
  if (credentials !== undefined) config.credentials = credentials
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 64 }
  config.requestHandler = new NodeHttpHandler({ httpAgent: new http.Agent(agentOptions), httpsAgent: new https.Agent(agentOptions) })
  return config
}

export function createDynamoDBClient (opts: ClientOptions): DynamoDBClient {
  return scrubErrorsOf(new DynamoDBClient(clientConfig(opts)))
}

export function createStreamsClient (opts: ClientOptions): DynamoDBStreamsClient {
  return scrubErrorsOf(new DynamoDBStreamsClient(clientConfig(opts)))
}

// Outermost middleware: every error a call finally throws (after the SDK's retries) drops the signed request it links to.
function scrubErrorsOf<C extends DynamoDBClient | DynamoDBStreamsClient> (client: C): C {
  (client as DynamoDBClient).middlewareStack.add((next) => async (args) => {
    try {
      return await next(args)
    } catch (err) {
      scrubAwsError(err)
      throw err
    }
  }, { step: 'initialize', name: 'opencdcScrubErrors' })
  return client
}

const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded',
  'InternalServerError', 'ServiceUnavailable', 'LimitExceededException', 'TimeoutError',
  'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND'
])

/** Throttling, 5xx and connection faults are worth another try; everything else is final. */
export function isRetryableAwsError (err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { name?: string, code?: string, $metadata?: { httpStatusCode?: number }, $retryable?: unknown }
  if (e.name === 'AbortError') return false
  if (e.$retryable !== undefined) return true
  if (RETRYABLE_NAMES.has(e.name ?? '') || RETRYABLE_NAMES.has(e.code ?? '')) return true
  const status = e.$metadata?.httpStatusCode
  return status !== undefined && status >= 500
}

/** Makes the secret key and session token non-enumerable: JSON.stringify and util.inspect skip them, clients still read them. */
export function hideCredentials<T extends object> (options: T): T {
  for (const key of ['secretAccessKey', 'sessionToken']) {
    if (Object.hasOwn(options, key)) Object.defineProperty(options, key, { enumerable: false })
  }
  return options
}

/** A sleep that ends early, rejecting with the abort reason, when the signal aborts. */
export function sleep (ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) { reject(signal.reason); return }
    const onAbort = (): void => { clearTimeout(timer); reject(signal?.reason) }
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** An AbortController for a stream's every call: dozens of requests, waits and sleeps listen to its signal at once. */
export function streamAbortController (): AbortController {
  const controller = new AbortController()
  manyListeners(controller.signal)
  return controller
}

/** Node warns past 10 listeners; a stream with 16+ requests in flight has more, none leaked. */
export function manyListeners (signal: AbortSignal): AbortSignal {
  setMaxListeners(1000, signal)
  return signal
}
