import { Readable } from 'node:stream'
import { DescribeTableCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type ScanCommandInput, type TableDescription } from '@aws-sdk/client-dynamodb'
import { createDynamoDBClient, sleep, streamAbortController } from '../aws.js'
import { fromAttributeMap } from '../codec.js'
import { OpenCDCError, abortError, type ErrorCode } from '../errors.js'
import { defaultHighWaterMark } from './plan.js'
import { META_COLLECTION, META_READ_AT, unixNanos, type OpenCDCRecord, type StructuredData } from '../record.js'
import { Checkpointer } from './checkpointer.js'
import { resolveSourceOptions, type SourceInput, type SourceOptions } from './options.js'
import { defaultSegments, newSnapshotCheckpoint, planSegments, type SegmentCheckpoint, type SegmentPlan, type SnapshotCheckpoint } from './plan.js'
import { encodeSnapshotPosition, keyFromJSON, keyToJSON, positionKind } from './position.js'
import { DebtBucket } from './rate.js'
import { retry, retryPolicy } from '../retry.js'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { SourceCdc, type SourceCdcHost } from './cdc/source-cdc.js'
import { warnOn } from './cdc/warn.js'

export type SourcePhase = 'idle' | 'snapshot' | 'cdc' | 'done'

export interface SnapshotProgress {
  phase: 'snapshot'
  /** Items emitted by this run. */
  items: number
  segmentsDone: number
  totalSegments: number
  /** DescribeTable's ItemCount (refreshed by AWS about every six hours). */
  estimatedItems: number
}

/** What DescribeTable told us about the table. */
export interface TableInfo {
  name: string
  keyNames: string[]
  description: TableDescription
}

/**
 * A Readable (object mode) of OpenCDC records: a parallel, backpressured, resumable snapshot, then
 * (once wired) the CDC phase. Emits 'progress' events during the snapshot.
 */
export class DynamoDBSource extends Readable {
  // Private with a getter, so console.log(source) never prints the static credentials it may hold.
  #options: SourceOptions
  #client: DynamoDBClient
  #ownsClient: boolean
  #abort = streamAbortController()
  #phase: SourcePhase = 'idle'
  #started = false
  #wanted = false
  #table: TableInfo | undefined
  #checkpoint: Checkpointer
  #queue: SegmentPlan[] = []
  #inFlight = 0
  #segmentsLeft = 0
  #snapshot: SnapshotCheckpoint | undefined
  #cdc: SourceCdc | undefined
  #progress: SnapshotProgress = { phase: 'snapshot', items: 0, segmentsDone: 0, totalSegments: 0, estimatedItems: 0 }
  #itemRate: DebtBucket
  #capacityRate: DebtBucket
  #lastCapacity = 0

  /** The resolved options (credentials included: do not log them). */
  get options (): SourceOptions { return this.#options }

  constructor (input: SourceInput) {
    const options = resolveSourceOptions(input)
    super({ objectMode: true, highWaterMark: options.highWaterMark ?? 2_000, autoDestroy: true })
    this.#options = options
    this.#ownsClient = options.client === undefined
    this.#client = (options.client as DynamoDBClient | undefined) ?? createDynamoDBClient(options)
    this.#itemRate = new DebtBucket(options.readRatePerSecond)
    this.#capacityRate = new DebtBucket(options.readCapacityPerSecond)
    this.#checkpoint = new Checkpointer({
      store: options.checkpointStore,
      file: options.checkpoint,
      table: options.table,
      interval: options.checkpointInterval,
      onError: (err) => { if (!this.destroyed) this.destroy(err) }
    })
  }

  get phase (): SourcePhase { return this.#phase }

  /** Table name, key attribute names and the DescribeTable answer (undefined until reading starts). */
  get table (): TableInfo | undefined { return this.#table }

  /** Acknowledges a record (or its position) as durably handled downstream; acknowledging twice is harmless. */
  ack (record: OpenCDCRecord | Uint8Array): void {
    const position = record instanceof Uint8Array ? record : record?.position
    if (!(position instanceof Uint8Array)) {
      throw new OpenCDCError('ERR_DDB_INVALID_ACK', 'ack: expected a record emitted by this source (or its position Buffer)')
    }
    if (this.#checkpoint.ack(position)) {
      if (this.#checkpoint.unacked === this.options.maxUnacked - 1) this.#pump()
    } else if (this.#cdc !== undefined && positionKind(position) === 'cdc') {
      this.#cdc.ack({ position: Buffer.from(position.buffer, position.byteOffset, position.byteLength) })
    }
  }

  /** Writes the checkpoint now (when anything changed since the last save). */
  async flushCheckpoint (): Promise<void> { await this.#checkpoint.flush() }

  override _read (): void {
    this.#wanted = true
    if (!this.#started) {
      this.#started = true
      this.#start().catch((err: unknown) => this.#fail(err))
      return
    }
    if (this.#phase === 'cdc') this.#cdc?.resume()
    this.#pump()
  }

  async #start (): Promise<void> {
    const signal = this.#abort.signal
    const name = this.options.table
    const out = await retry(retryPolicy({ retries: this.options.retryBudget }), (s) => this.#client.send(new DescribeTableCommand({ TableName: name }), { abortSignal: s }), signal)
      .catch((err: unknown) => { throw awsFailure('ERR_DDB_DESCRIBE_FAILED', `DescribeTable of table "${name}" failed`, err, { table: name }) })
    const description = out.Table ?? {}
    const keyNames = ['HASH', 'RANGE'].flatMap((type) => (description.KeySchema ?? []).filter((k) => k.KeyType === type).map((k) => k.AttributeName as string))
    this.#table = { name, keyNames, description }
    if (this.options.highWaterMark === undefined) {
      // Records vary from bytes to 400 KB: size the buffer in pages, not records. No public setter exists.
      (this as unknown as { _readableState: { highWaterMark: number } })._readableState.highWaterMark = defaultHighWaterMark(description.TableSizeBytes, description.ItemCount, this.options.snapshotConcurrency)
    }
    const doc = await this.#checkpoint.load()
    if (this.destroyed) return
    await this._prepareCdc()
    if (this.options.skipSnapshot || doc.snapshot?.done === true) {
      this.#startCdcPhase()
      return
    }
    const total = doc.snapshot?.totalSegments ?? this.options.snapshotSegments ?? defaultSegments(description.TableSizeBytes, this.options.snapshotConcurrency)
    const snapshot = doc.snapshot ?? newSnapshotCheckpoint(total)
    doc.snapshot = snapshot
    this.#snapshot = snapshot
    this.#queue = planSegments(snapshot)
    this.#segmentsLeft = this.#queue.length
    this.#progress = { phase: 'snapshot', items: 0, segmentsDone: total - this.#queue.length, totalSegments: total, estimatedItems: description.ItemCount ?? 0 }
    for (let s = 0; s < total; s++) {
      this.#checkpoint.lane(`snapshot:${s}`, (point) => { this.#commitSegment(s, point as SegmentCheckpoint) })
    }
    this.#checkpoint.changed()
    this.#phase = 'snapshot'
    this.emit('progress', { ...this.#progress })
    this.#pump()
  }

  #commitSegment (segment: number, point: SegmentCheckpoint): void {
    const snapshot = this.#snapshot as SnapshotCheckpoint
    snapshot.segments[segment] = point
    if (snapshot.segments.every((s) => s !== null && 'done' in s)) snapshot.done = true
  }

  #pump (): void {
    if (this.#phase !== 'snapshot' || this.destroyed) return
    while (this.#wanted && this.#inFlight < this.options.snapshotConcurrency && this.#queue.length > 0 && this.#checkpoint.unacked < this.options.maxUnacked) {
      const plan = this.#queue.shift() as SegmentPlan
      this.#inFlight++
      this.#scan(plan).catch((err: unknown) => this.#fail(err))
    }
    if (this.#segmentsLeft === 0 && this.#inFlight === 0) {
      this.emit('progress', { ...this.#progress })
      this.#startCdcPhase()
    }
  }

  async #scan (plan: SegmentPlan): Promise<void> {
    const signal = this.#abort.signal
    const { segment, startKey } = plan
    const total = this.#progress.totalSegments
    const table = this.#table as TableInfo
    const limit = Math.min(this.options.snapshotPageSize ?? Infinity, this.options.readRatePerSecond > 0 ? Math.ceil(this.options.readRatePerSecond) : Infinity)
    const reservedItems = Number.isFinite(limit) ? limit : 0
    const reservedCapacity = this.#lastCapacity
    const wait = Math.max(this.#itemRate.reserve(reservedItems), this.#capacityRate.reserve(reservedCapacity))
    if (wait > 0) await sleep(wait, signal)
    const input: ScanCommandInput = {
      TableName: table.name,
      Segment: segment,
      TotalSegments: total,
      ConsistentRead: this.options.consistentRead,
      ...(startKey !== undefined ? { ExclusiveStartKey: keyFromJSON(startKey) } : {}),
      ...(Number.isFinite(limit) ? { Limit: limit } : {}),
      ...(this.options.readCapacityPerSecond > 0 ? { ReturnConsumedCapacity: 'TOTAL' } : {})
    }
    const out = await retry(retryPolicy({ retries: this.options.retryBudget }), (s) => this.#client.send(new ScanCommand(input), { abortSignal: s }), signal)
      .catch((err: unknown) => {
        const where = startKey === undefined ? 'at the start of the segment' : `after key ${JSON.stringify(startKey)}`
        throw awsFailure('ERR_DDB_SCAN_FAILED', `snapshot of table "${table.name}": Scan of segment ${segment} of ${total} failed ${where}`, err, { table: table.name, segment, totalSegments: total, exclusiveStartKey: startKey ?? null })
      })
    if (this.destroyed) return
    this.#inFlight--
    const items = out.Items ?? []
    this.#itemRate.settle(reservedItems, out.ScannedCount ?? items.length)
    this.#lastCapacity = out.ConsumedCapacity?.CapacityUnits ?? 0
    this.#capacityRate.settle(reservedCapacity, this.#lastCapacity)
    this.#emitPage(segment, items)
    const lane = `snapshot:${segment}`
    if (out.LastEvaluatedKey !== undefined) {
      const key = keyToJSON(out.LastEvaluatedKey, table.keyNames)
      this.#checkpoint.mark(lane, { key })
      this.#queue.push({ segment, startKey: key })
    } else {
      this.#checkpoint.mark(lane, { done: true })
      this.#segmentsLeft--
      this.#progress.segmentsDone++
    }
    this.emit('progress', { ...this.#progress })
    this.#pump()
  }

  #emitPage (segment: number, items: Array<Record<string, AttributeValue>>): void {
    const { name, keyNames } = this.#table as TableInfo
    const total = this.#progress.totalSegments
    const readAt = unixNanos()
    const lane = `snapshot:${segment}`
    for (const item of items) {
      const keyJSON = keyToJSON(item, keyNames)
      const position = encodeSnapshotPosition(segment, total, keyJSON)
      const after = fromAttributeMap(item)
      const key: StructuredData = {}
      for (const k of keyNames) key[k] = after[k] as StructuredData[string]
      this.#checkpoint.track(lane, { key: keyJSON }, position)
      if (!this.push({ position, operation: 'snapshot', metadata: { [META_COLLECTION]: name, [META_READ_AT]: readAt }, key, payload: { before: null, after } } satisfies OpenCDCRecord)) this.#wanted = false
    }
    this.#progress.items += items.length
  }

  #startCdcPhase (): void {
    if (this.#phase === 'cdc' || this.#phase === 'done') return
    if (this.options.snapshotOnly) {
      this.#phase = 'done'
      this.push(null)
      return
    }
    this.#phase = 'cdc'
    Promise.resolve(this._startCdc()).catch((err: unknown) => this.#fail(err))
  }

  /**
   * Hook: runs before the first Scan (unless snapshotOnly), the place to anchor the change stream
   * (e.g. take LATEST iterators) so nothing written during the scan is lost.
   */
  protected async _prepareCdc (): Promise<void> {
    if (this.options.snapshotOnly) return
    const checkpoint = this.#checkpoint
    this.#cdc = new SourceCdc({
      table: this.options.table,
      client: this.#client,
      streamsClient: this.options.streamsClient as DynamoDBStreamsClient | undefined,
      options: this.options as unknown as SourceCdcHost['options'],
      doc: checkpoint.doc,
      checkpointing: checkpoint.enabled,
      changed: () => { checkpoint.changed() },
      push: (record) => this.push(record),
      fail: (err) => { this.#fail(err) },
      warn: (err) => { warnOn(this, err) }
    })
    await this.#cdc.prepare()
  }

  /**
   * Hook: runs once the snapshot is fully read (or skipped, or already complete in the checkpoint)
   * unless snapshotOnly: changes spooled since _prepareCdc, then live ones, follow the snapshot records.
   */
  protected async _startCdc (): Promise<void> {
    this.#cdc?.start()
  }

  /** For phase hooks: the abort signal to pass to every AWS call and sleep. */
  protected get _signal (): AbortSignal { return this.#abort.signal }
  protected get _client (): DynamoDBClient { return this.#client }
  protected get _checkpointer (): Checkpointer { return this.#checkpoint }

  #fail (err: unknown): void {
    if (this.destroyed) return
    this.destroy(err instanceof Error ? err : new Error(String(err)))
  }

  override _destroy (err: Error | null, cb: (error?: Error | null) => void): void {
    this.#phase = 'done'
    this.#abort.abort(abortError(err))
    const cdc = this.#cdc?.close() ?? Promise.resolve()
    cdc.catch(() => {}).then(async () => { await this.#checkpoint.flush() }).then(() => { cb(err) }, (saveErr: unknown) => { cb(err ?? saveErr as Error) }).finally(() => {
      if (this.#ownsClient) this.#client.destroy()
    })
  }
}

function awsFailure (code: ErrorCode, what: string, err: unknown, details: Record<string, unknown>): Error {
  if (err instanceof OpenCDCError || (err as Error)?.name === 'AbortError') return err as Error
  const e = err as { name?: string, message?: string }
  return new OpenCDCError(code, `${what}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, details, { cause: err })
}

/** Creates the DynamoDB source. Options: seed settings verbatim or typed camelCase (see docs/source.md). */
export function createSource (options: SourceInput): DynamoDBSource {
  return new DynamoDBSource(options)
}
