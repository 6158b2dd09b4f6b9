import { DescribeTableCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type ScanCommandInput, type TableDescription } from '@aws-sdk/client-dynamodb'
import { sleep } from '../../aws/clients.js'
import { withWireDecode } from '../../aws/wire-hook.js'
import { decodeScan } from '../../aws/wire-decode.js'
import type { Checkpointer } from '../../checkpoint/checkpointer.js'
import type { SourceCheckpoint } from '../../checkpoint/document.js'
import { fromAttributeMap } from '../../model/codec.js'
import type { ScanSlots } from './slots.js'
import { OpenCDCError, type ErrorCode } from '../../errors/index.js'
import { META_COLLECTION, META_READ_AT, unixNanos, type OpenCDCRecord, type StructuredData } from '../../model/record.js'
import { retry, retryPolicy, type RetryPolicy } from '../../aws/retry.js'
import type { SnapshotOptions } from '../options.js'
import { defaultSegments, newSnapshotCheckpoint, ownedSegmentsDone, planSegments, type SegmentCheckpoint, type SegmentPlan, type SnapshotCheckpoint } from './plan.js'
import { SnapshotPositionEncoder, keyFromJSON, keyToJSON } from './position.js'
import { DebtBucket } from './rate.js'
import { noMetrics, type Metrics } from '../../metrics/index.js'
import { ownedSegments } from './worker.js'

export interface SnapshotProgress {
  phase: 'snapshot'
  /** Items emitted by this run. */
  items: number
  segmentsDone: number
  totalSegments: number
  /** DescribeTable's ItemCount (refreshed by AWS about every six hours); from an export, its manifest's count. */
  estimatedItems: number
  /** snapshotFrom 'export': the export and its state (segments are then its data files). */
  export?: { arn: string, status: 'IN_PROGRESS' | 'COMPLETED' }
}

/** What DescribeTable told us about the table. */
export interface TableInfo {
  name: string
  keyNames: string[]
  description: TableDescription
}

/** What the snapshot engine needs from the stream that drives it. */
export interface SnapshotHost {
  /** Hands a record downstream; false pauses reading until resume(). */
  push: (record: OpenCDCRecord) => boolean
  /** Records the consumer's buffer can still take before it is full (highWaterMark − readableLength). */
  room: () => number
  /** A full page (one that ends with a LastEvaluatedKey) held this many records. */
  page: (records: number) => void
  progress: (progress: SnapshotProgress) => void
  /** Every segment was read to its end (called once). */
  done: () => void
  /** A Scan failed for good; the engine stops. */
  error: (err: Error) => void
  /** Scanning waits because maxUnacked records are emitted and not acknowledged. */
  ackBound?: () => void
}

export interface SnapshotEngineOptions {
  client: DynamoDBClient
  table: TableInfo
  options: Pick<SnapshotOptions, 'snapshotSegments' | 'snapshotWorker' | 'snapshotConcurrency' | 'snapshotPageSize' | 'consistentRead' | 'readRatePerSecond' | 'readCapacityPerSecond' | 'snapshotRetries' | 'maxUnacked'>
  /** Scan slots shared with other tables' engines (a many-table source): snapshotConcurrency across all of them. */
  slots?: ScanSlots
  /** The loaded checkpoint; the engine adds the snapshot section to its document and commits each segment's frontier. */
  checkpoint: Checkpointer
  signal: AbortSignal
  metrics?: Metrics
  /** FilterExpression / ProjectionExpression and their placeholders, sent with every Scan. */
  expressions?: Pick<ScanCommandInput, 'FilterExpression' | 'ProjectionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> | undefined
}

/** DescribeTable, retried like a Scan; a failure becomes ERR_DDB_DESCRIBE_FAILED. */
export async function describeTable (client: DynamoDBClient, name: string, retries: number, signal: AbortSignal): Promise<TableInfo> {
  const out = await retry(retryPolicy({ retries }), (s) => client.send(new DescribeTableCommand({ TableName: name }), { abortSignal: s }), signal)
    .catch((err: unknown) => { throw awsFailure('ERR_DDB_DESCRIBE_FAILED', `DescribeTable of table "${name}" failed`, err, { table: name }) })
  const description = out.Table ?? {}
  const keyNames = ['HASH', 'RANGE'].flatMap((type) => (description.KeySchema ?? []).filter((k) => k.KeyType === type).map((k) => k.AttributeName as string))
  return { name, keyNames, description }
}

/**
 * A parallel, backpressured, resumable Scan of one table: segments from the checkpoint (or fresh), at
 * most snapshotConcurrency Scans in flight, two rate buckets (items, read capacity), one checkpoint lane
 * per segment. Nothing here knows about Readable: the host gets push / progress / done / error.
 */
export class SnapshotEngine {
  #o: SnapshotEngineOptions
  #host: SnapshotHost
  #retry: RetryPolicy
  #snapshot: SnapshotCheckpoint
  #queue: SegmentPlan[]
  #inFlight = 0
  #scanning = new Set<number>()
  #segmentsLeft: number
  #wanted = false
  #finished = false
  #progress: SnapshotProgress
  #itemRate: DebtBucket
  #capacityRate: DebtBucket
  #lastCapacity = 0
  #metrics: Metrics

  constructor (o: SnapshotEngineOptions, host: SnapshotHost) {
    this.#o = o
    this.#host = host
    this.#metrics = o.metrics ?? noMetrics
    this.#retry = retryPolicy({ retries: o.options.snapshotRetries })
    const doc: SourceCheckpoint = o.checkpoint.doc
    const { description } = o.table
    const worker = o.options.snapshotWorker
    const total = doc.snapshot?.totalSegments ?? o.options.snapshotSegments ?? defaultSegments(description.TableSizeBytes, o.options.snapshotConcurrency)
    this.#snapshot = doc.snapshot ??= newSnapshotCheckpoint(total, worker)
    this.#queue = planSegments(this.#snapshot)
    this.#segmentsLeft = this.#queue.length
    this.#progress = { phase: 'snapshot', items: 0, segmentsDone: ownedSegments(total, worker).length - this.#queue.length, totalSegments: total, estimatedItems: description.ItemCount ?? 0 }
    this.#itemRate = new DebtBucket(o.options.readRatePerSecond)
    this.#capacityRate = new DebtBucket(o.options.readCapacityPerSecond)
  }

  /** Declares the checkpoint lanes, reports the starting progress and starts scanning. */
  start (): void {
    const checkpoint = this.#o.checkpoint
    for (let s = 0; s < this.#progress.totalSegments; s++) {
      checkpoint.lane(`snapshot:${s}`, (point) => { this.#commitSegment(s, point as SegmentCheckpoint) })
    }
    checkpoint.changed()
    this.#report()
    this.resume()
  }

  /** Segments not read to their end (queued or being scanned), for the stall detector. */
  get pendingSegments (): number[] {
    return [...new Set([...this.#scanning, ...this.#queue.map((p) => p.segment)])].sort((a, b) => a - b)
  }

  /** The consumer wants more. */
  resume (): void {
    this.#wanted = true
    this.pump()
  }

  /** Starts Scans while there is demand, a free slot and acknowledgement room. */
  pump (): void {
    if (this.#finished || this.#o.signal.aborted) return
    const o = this.#o.options
    while (this.#wanted && this.#inFlight < o.snapshotConcurrency && this.#queue.length > 0 && this.#o.checkpoint.unacked < o.maxUnacked && this.#takeSlot()) {
      const plan = this.#queue.shift() as SegmentPlan
      this.#inFlight++
      const slot = { held: this.#o.slots !== undefined }
      this.#scan(plan, slot).catch((err: unknown) => { this.#finished = true; this.#host.error(err instanceof Error ? err : new Error(String(err))) }).finally(() => { this.#giveSlot(slot) })
    }
    if (this.#wanted && this.#queue.length > 0 && this.#inFlight < o.snapshotConcurrency && this.#o.checkpoint.unacked >= o.maxUnacked) this.#host.ackBound?.()
    if (this.#segmentsLeft === 0 && this.#inFlight === 0) {
      this.#finished = true
      this.#o.slots?.forget(this.#wake)
      this.#host.done()
    }
  }

  #wake = (): void => { this.pump() }

  #takeSlot (): boolean { return this.#o.slots?.take(this.#wake) ?? true }

  // Given back once per Scan: when its page is in (so the next Scan may go out), or when it failed.
  #giveSlot (slot: { held: boolean }): void {
    if (!slot.held) return
    slot.held = false
    this.#o.slots?.give()
  }

  #commitSegment (segment: number, point: SegmentCheckpoint): void {
    const snapshot = this.#snapshot
    snapshot.segments[segment] = point
    if (ownedSegmentsDone(snapshot)) snapshot.done = true
  }

  async #scan (plan: SegmentPlan, slot: { held: boolean }): Promise<void> {
    const { signal, table, checkpoint } = this.#o
    const o = this.#o.options
    const { segment, startKey } = plan
    this.#scanning.add(segment)
    const total = this.#progress.totalSegments
    const limit = Math.min(o.snapshotPageSize ?? Infinity, o.readRatePerSecond > 0 ? Math.ceil(o.readRatePerSecond) : Infinity)
    const reservedItems = Number.isFinite(limit) ? limit : 0
    const reservedCapacity = this.#lastCapacity
    const wait = Math.max(this.#itemRate.reserve(reservedItems), this.#capacityRate.reserve(reservedCapacity))
    if (wait > 0) await sleep(wait, signal)
    const input: ScanCommandInput = {
      TableName: table.name,
      Segment: segment,
      TotalSegments: total,
      ConsistentRead: o.consistentRead,
      ...this.#o.expressions,
      ...(startKey !== undefined ? { ExclusiveStartKey: keyFromJSON(startKey) } : {}),
      ...(Number.isFinite(limit) ? { Limit: limit } : {}),
      ...(o.readCapacityPerSecond > 0 ? { ReturnConsumedCapacity: 'TOTAL' } : {})
    }
    const m = this.#metrics
    const out = await retry(this.#retry, async (s) => {
      m.request('Scan'); m.inFlight('Scan', 1)
      try { return await this.#o.client.send(withWireDecode(new ScanCommand(input), decodeScan), { abortSignal: s }) } finally { m.inFlight('Scan', -1) }
    }, signal, { onRetry: (err) => { m.retried('Scan', err) } })
      .catch((err: unknown) => {
        const where = startKey === undefined ? 'at the start of the segment' : `after key ${JSON.stringify(startKey)}`
        throw awsFailure('ERR_DDB_SCAN_FAILED', `snapshot of table "${table.name}": Scan of segment ${segment} of ${total} failed ${where}`, err, { table: table.name, segment, totalSegments: total, exclusiveStartKey: startKey ?? null })
      })
    if (signal.aborted || this.#finished) return
    this.#inFlight--
    this.#giveSlot(slot)
    this.#scanning.delete(segment)
    const items = out.Items ?? []
    this.#itemRate.settle(reservedItems, out.ScannedCount ?? items.length)
    this.#lastCapacity = out.ConsumedCapacity?.CapacityUnits ?? 0
    this.#capacityRate.settle(reservedCapacity, this.#lastCapacity)
    const next = out.LastEvaluatedKey !== undefined ? keyToJSON(out.LastEvaluatedKey, table.keyNames) : undefined
    if (next !== undefined) {
      this.#host.page(items.length)
      this.#queue.push({ segment, startKey: next })
      // Read ahead: the next Scan goes out before this page is converted, as a raw Scan loop would, but
      // only while the consumer's buffer is not full (the bound: highWaterMark + this page + a page per Scan)
      // and this page leaves acknowledgement room (the bound stays maxUnacked + a page per Scan).
      if (this.#host.room() > 0 && checkpoint.unacked + items.length < o.maxUnacked) this.pump()
    }
    this.#emitPage(segment, items)
    const lane = `snapshot:${segment}`
    if (next !== undefined) {
      checkpoint.mark(lane, { key: next })
    } else {
      checkpoint.mark(lane, { done: true })
      this.#segmentsLeft--
      this.#progress.segmentsDone++
    }
    this.#report()
    this.pump()
  }

  #report (): void {
    this.#metrics.snapshot(this.#o.table.name, this.#progress)
    this.#host.progress({ ...this.#progress })
  }

  #emitPage (segment: number, items: Array<Record<string, AttributeValue>>): void {
    const { name, keyNames } = this.#o.table
    const checkpoint = this.#o.checkpoint
    const positions = new SnapshotPositionEncoder(segment, this.#progress.totalSegments, keyNames)
    const readAt = unixNanos()
    const lane = `snapshot:${segment}`
    for (const item of items) {
      const position = positions.encode(item)
      const after = fromAttributeMap(item)
      const key: StructuredData = {}
      for (const k of keyNames) key[k] = after[k] as StructuredData[string]
      // The KeyJSON is built only when a checkpoint will keep it.
      if (checkpoint.enabled) checkpoint.track(lane, { key: keyToJSON(item, keyNames) }, position)
      if (!this.#host.push({ position, operation: 'snapshot', metadata: { [META_COLLECTION]: name, [META_READ_AT]: readAt }, key, payload: { before: null, after } } satisfies OpenCDCRecord)) this.#wanted = false
    }
    this.#progress.items += items.length
    this.#metrics.read(name, 'snapshot', items.length)
  }
}

function awsFailure (code: ErrorCode, what: string, err: unknown, details: Record<string, unknown>): Error {
  if (err instanceof OpenCDCError || (err as Error)?.name === 'AbortError') return err as Error
  const e = err as { name?: string, message?: string }
  return new OpenCDCError(code, `${what}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, details, { cause: err })
}
