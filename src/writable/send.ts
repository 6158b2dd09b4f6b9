import { BatchWriteItemCommand, UpdateItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb'
import { isRetryableAwsError } from '../aws/clients.js'
import type { AttributeMap } from '../model/codec.js'
import { isOpenCDCError, OpenCDCError } from '../errors/index.js'
import { retry, retryPolicy, type RetryPolicy } from '../aws/retry.js'
import type { BatchEntry, PlannedBatch } from './batch-plan.js'
import type { RequestSample } from './concurrency.js'
import { itemRejectedError } from './failure.js'
import { isItemRejection, isolate } from './isolate.js'
import { keyAttributes, tableKeyId, type KeySchema } from './key-schema.js'
import type { RateLimiter } from './rate-limit.js'
import type { Metrics, MetricsApi } from '../metrics/index.js'

export interface SendContext {
  client: DynamoDBClient
  /** Key schema of every table a batch may name (entries carry their table). */
  schemas: ReadonlyMap<string, KeySchema>
  limiter: RateLimiter
  signal: AbortSignal
  /** From maxRetries, retryTimeout, retryBaseDelay and retryMaxDelay (see writePolicy). */
  retry: RetryPolicy
  /** Requests being sent right now (shared counter, for the concurrency samples). */
  sending: { count: number }
  onSample: (sample: RequestSample) => void
  /** One HTTP request is about to be sent (each of the SDK's own retries included). */
  onRequest: () => void
  /** Entries durably written, as soon as each request confirms them. */
  onWritten: (entries: BatchEntry[]) => void
  metrics: Metrics
}

/** The destination's retry policy: UnprocessedItems are retried like throttling. */
export function writePolicy (o: { maxRetries: number, retryTimeout: number, retryBaseDelay: number, retryMaxDelay: number }): RetryPolicy {
  return retryPolicy({
    retries: o.maxRetries,
    budget: o.retryTimeout,
    baseDelay: o.retryBaseDelay,
    maxDelay: o.retryMaxDelay,
    retryable: (err) => isRetryableAwsError(err) || isOpenCDCError(err, 'ERR_DDB_UNPROCESSED')
  })
}

/** Entries that could not be written, and why. */
export interface SendFailure {
  entries: BatchEntry[]
  error: Error
}

function toRequest (entry: BatchEntry): WriteRequest {
  const op = entry.op
  return op.kind === 'delete' ? { DeleteRequest: { Key: op.key } } : { PutRequest: { Item: op.item } }
}

function keyOfRequest (table: string, schema: KeySchema, req: WriteRequest): string {
  const source = (req.PutRequest?.Item ?? req.DeleteRequest?.Key ?? {}) as AttributeMap
  const key: AttributeMap = {}
  for (const attr of keyAttributes(schema)) if (source[attr.name] !== undefined) key[attr.name] = source[attr.name] as AttributeMap[string]
  return tableKeyId(table, schema, key)
}

/** One BatchWriteItem may carry several tables: RequestItems groups the entries by table (≤ 25 requests in all). */
function requestItems (entries: BatchEntry[]): Record<string, WriteRequest[]> {
  const out: Record<string, WriteRequest[]> = {}
  for (const e of entries) (out[e.op.table] ??= []).push(toRequest(e))
  return out
}

// The deserialize step runs once per HTTP attempt, inside the SDK's retry loop: every request is counted, failed ones too.
function counted<C extends BatchWriteItemCommand | UpdateItemCommand> (ctx: SendContext, command: C): C {
  const api: MetricsApi = command instanceof UpdateItemCommand ? 'UpdateItem' : 'BatchWriteItem'
  ;(command as BatchWriteItemCommand).middlewareStack.add((next) => async (args) => {
    ctx.onRequest()
    ctx.metrics.request(api)
    return await next(args)
  }, { step: 'deserialize', name: 'opencdcCountRequests' })
  return command
}

async function attempt (ctx: SendContext, batch: PlannedBatch, entries: BatchEntry[]): Promise<BatchEntry[]> {
  await ctx.limiter.take(entries.length, ctx.signal)
  const startedAt = performance.now()
  const inFlight = ++ctx.sending.count
  const api: MetricsApi = batch.kind === 'update' ? 'UpdateItem' : 'BatchWriteItem'
  ctx.metrics.inFlight(api, 1)
  try {
    if (batch.kind === 'update') {
      const op = (entries[0] as BatchEntry).op
      await ctx.client.send(counted(ctx, new UpdateItemCommand({ TableName: op.table, Key: op.key, ...op.update })), { abortSignal: ctx.signal })
      ctx.onSample({ startedAt, now: performance.now(), items: 1, inFlight, throttled: false })
      return []
    }
    const out = await ctx.client.send(counted(ctx, new BatchWriteItemCommand({ RequestItems: requestItems(entries) })), { abortSignal: ctx.signal })
    const left = new Set<string>()
    for (const [table, requests] of Object.entries(out.UnprocessedItems ?? {})) {
      const schema = ctx.schemas.get(table)
      if (schema === undefined) throw new OpenCDCError('ERR_DDB_WRITE_FAILED', `BatchWriteItem returned unprocessed items of table "${table}", which the batch did not name`, { table })
      for (const r of requests) left.add(keyOfRequest(table, schema, r))
      ctx.metrics.unprocessed(table, requests.length)
    }
    ctx.onSample({ startedAt, now: performance.now(), items: entries.length - left.size, inFlight, throttled: left.size > 0 })
    if (left.size === 0) return []
    return entries.filter((e) => left.has(e.op.keyId))
  } catch (err) {
    if (isRetryableAwsError(err)) ctx.onSample({ startedAt, now: performance.now(), items: 0, inFlight, throttled: true })
    throw err
  } finally {
    ctx.sending.count--
    ctx.metrics.inFlight(api, -1)
  }
}

/**
 * Sends one planned batch until every entry is written: only UnprocessedItems are re-sent, throttling,
 * 5xx and resets are retried, all with full-jitter backoff, within maxRetries and retryTimeout.
 * Resolves with what could not be written (never drops silently); rejects only when aborted.
 */
export async function sendBatch (ctx: SendContext, batch: PlannedBatch): Promise<SendFailure | undefined> {
  let left = batch.entries
  const policy = ctx.retry
  try {
    await retry(policy, async () => {
      const rest = await attempt(ctx, batch, left)
      const done = rest.length === 0 ? left : left.filter((e) => !rest.includes(e))
      if (done.length > 0) ctx.onWritten(done)
      if (rest.length === 0) return
      left = rest
      throw new OpenCDCError('ERR_DDB_UNPROCESSED', `DynamoDB returned ${rest.length} unprocessed item(s)`)
    }, ctx.signal, {
      onRetry: (err) => { ctx.metrics.retried(batch.kind === 'update' ? 'UpdateItem' : 'BatchWriteItem', err) },
      exhausted: (err, { attempts, elapsed }) => new OpenCDCError('ERR_DDB_RETRIES_EXHAUSTED',
        `gave up after ${attempts} attempt(s) in ${Math.round(elapsed)} ms (maxRetries ${policy.retries}, retryTimeout ${policy.budget} ms): ${(err as Error).message}`,
        { attempts }, { cause: err })
    })
    return undefined
  } catch (err) {
    if (ctx.signal.aborted) throw err
    return { entries: left, error: err as Error }
  }
}

/**
 * sendBatch, and when DynamoDB refuses a whole request for what an item holds, bisects it (see isolate) until
 * every other entry is written: resolves with one ERR_DDB_ITEM_REJECTED failure per culprit, or the failure as is.
 */
export async function sendIsolating (ctx: SendContext, batch: PlannedBatch): Promise<SendFailure[]> {
  const failure = await sendBatch(ctx, batch)
  if (failure === undefined) return []
  if (!isItemRejection(failure.error)) return [failure]
  const plan = isolate({ kind: batch.kind, entries: failure.entries, bytes: batch.bytes })
  if (plan.kind === 'split') return [...await sendIsolating(ctx, plan.parts[0]), ...await sendIsolating(ctx, plan.parts[1])]
  const culprit: SendFailure = { entries: [{ op: plan.op, covers: [plan.op] }], error: itemRejectedError(plan.op, failure.error) }
  return plan.retry === undefined ? [culprit] : [culprit, ...await sendIsolating(ctx, plan.retry)]
}
