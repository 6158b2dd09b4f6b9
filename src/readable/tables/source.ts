import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { createDynamoDBClient, createStreamsClient, sleep, streamAbortController } from '../../aws/clients.js'
import { FileCheckpointStore, type CheckpointStore } from '../../checkpoint/stores.js'
import { abortError, OpenCDCError } from '../../errors/index.js'
import type { OpenCDCRecord } from '../../model/record.js'
import { takeSignal } from '../../options/signal.js'
import { failReader, RecordReader, type ReaderEvents } from '../events.js'
import { DynamoDBSource } from '../source.js'
import type { SnapshotProgress } from '../snapshot/engine.js'
import type { SourceOptions } from '../options.js'
import { ackedPosition } from '../snapshot/position.js'
import { kScanSlots, ScanSlots } from '../snapshot/slots.js'
import { awsTagLookup, listTableNames, selectTables } from './discovery.js'
import { resolveTablesOptions, tableInput, type TablesSourceInput, type TablesSourceOptions } from './options.js'
import { decodeTablePosition, encodeTablePosition } from './position.js'
import { CheckpointSections, type JoinMode } from './sections.js'

/** A table joined or left a many-table source (`reason` says why it left). */
export interface TableEvent {
  table: string
  action: 'added' | 'removed'
  mode?: JoinMode
  reason?: string
}

/** A many-table source's events: the reader's, 'progress' of each table's snapshot, and 'table'. */
export interface TablesSourceEvents extends ReaderEvents {
  progress: (progress: SnapshotProgress & { table: string }) => void
  table: (event: TableEvent) => void
}

interface Child { source: DynamoDBSource, pending: Set<string>, ended: boolean }

/**
 * One Readable over many tables: a single-table source per table (each with its own snapshot → CDC
 * hand-off and its own checkpoint section), merged with backpressure. Positions carry the table, so
 * ack() and flushCheckpoint() reach the right table. Tables are found by ListTables at the start and
 * every tableDiscoveryInterval; one that leaves the selection (or is deleted) ends with a 'table' event.
 */
export class TablesSource extends RecordReader<TablesSourceEvents> {
  #o: TablesSourceOptions
  #abort = streamAbortController()
  #client: DynamoDBClient
  #streams: DynamoDBStreamsClient | undefined
  #owns: { client: boolean, streams: boolean }
  #slots: ScanSlots
  #sections: CheckpointSections | undefined
  #children = new Map<string, Child>()
  #order: string[] = []
  #next = 0
  #wanted = false
  #pulling = false
  #discovering: Promise<void> | undefined

  constructor (input: TablesSourceInput) {
    const { signal, rest } = takeSignal(input, 'DynamoDB source')
    const o = resolveTablesOptions(rest as unknown as Record<string, unknown>)
    super({ objectMode: true, highWaterMark: o.resolved.highWaterMark ?? 1_000, autoDestroy: true, ...(signal !== undefined ? { signal } : {}) })
    this.#o = o
    this.#owns = { client: o.resolved.client === undefined, streams: o.resolved.streamsClient === undefined && !o.resolved.snapshotOnly }
    this.#client = (o.resolved.client as DynamoDBClient | undefined) ?? createDynamoDBClient(o.resolved)
    this.#streams = (o.resolved.streamsClient as DynamoDBStreamsClient | undefined) ?? (o.resolved.snapshotOnly ? undefined : createStreamsClient(o.resolved))
    this.#slots = new ScanSlots(o.resolved.snapshotConcurrency)
    const store: CheckpointStore | undefined = o.checkpointStore ?? (o.checkpoint !== undefined ? new FileCheckpointStore(o.checkpoint) : undefined)
    if (store !== undefined) this.#sections = new CheckpointSections(store, o.checkpoint ?? 'store')
  }

  /** The options every table's source gets (resolved; credentials not enumerable), without a table. */
  get options (): Omit<SourceOptions, 'table'> { return this.#o.resolved }

  /** The tables being read now, sorted. */
  get tables (): string[] { return [...this.#children.keys()].sort() }

  /** Acknowledges a record (or its position) to its table's source; a table that has left ignores it. */
  ack (record: Pick<OpenCDCRecord, 'position'> | Uint8Array): void {
    const position = ackedPosition(record)
    const { table, inner } = decodeTablePosition(position)
    const child = this.#children.get(table)
    if (child === undefined) return
    child.source.ack(inner)
    if (child.pending.delete(position.toString('latin1')) && this.#pendingTotal() === this.#o.resolved.maxUnacked - 1) this.#pull()
  }

  /** Writes every table's checkpoint now. */
  async flushCheckpoint (): Promise<void> {
    await Promise.all([...this.#children.values()].map(async (c) => { await c.source.flushCheckpoint() }))
  }

  override _construct (callback: (err?: Error | null) => void): void {
    this.#start().then(() => { callback() }, (err: Error) => { callback(this.#abort.signal.aborted ? null : err) })
  }

  async #start (): Promise<void> {
    await this.#sections?.load()
    const names = await listTableNames(this.#client, this.#o.resolved.snapshotRetries, this.#abort.signal)
    const missing = (this.#o.selector.include ?? []).filter((t) => !names.includes(t))
    if (missing.length > 0 && this.#o.selector.prefix === undefined && this.#o.selector.regex === undefined && this.#o.selector.tags === undefined) {
      throw new OpenCDCError('ERR_DDB_TABLE_NOT_FOUND', `DynamoDB source: table${missing.length > 1 ? 's' : ''} ${missing.map((t) => JSON.stringify(t)).join(', ')} not found`, { tables: missing })
    }
    const picked = await this.#select(names)
    const known = this.#sections?.tables ?? {}
    // A table with a section resumes as it joined; one that left while we were stopped is forgotten.
    for (const gone of Object.keys(known).filter((t) => !picked.includes(t))) await this.#sections?.remove(gone)
    for (const table of picked) this.#add(table, known[table] ?? 'snapshot', false)
    if (this.#o.tableDiscoveryInterval > 0) this.#discovering = this.#discoverLoop()
    this.#maybeEnd()
  }

  async #select (names: readonly string[]): Promise<string[]> {
    return await selectTables(names, this.#o.selector, awsTagLookup(this.#client, this.#o.resolved.snapshotRetries), this.#abort.signal)
  }

  #add (table: string, mode: JoinMode, announce: boolean): void {
    const store = this.#sections?.view(table, mode)
    const input = tableInput(this.#o, table, { client: this.#client, ...(this.#streams !== undefined ? { streamsClient: this.#streams } : {}), ...(store !== undefined ? { checkpointStore: store } : {}), mode })
    const source = new DynamoDBSource({ ...input, [kScanSlots]: this.#slots } as never)
    const child: Child = { source, pending: new Set(), ended: false }
    this.#children.set(table, child)
    this.#order.push(table)
    source.on('readable', () => { this.#pull() })
    source.on('end', () => { child.ended = true; this.#maybeEnd() })
    source.on('error', (err: Error) => { this.#childFailed(table, err) })
    source.on('warning', (w) => { this.emit('warning', w) })
    source.on('progress', (p: SnapshotProgress) => { this.emit('progress', { ...p, table }) })
    if (announce) this.emit('table', { table, action: 'added', mode })
  }

  async #remove (table: string, reason: string): Promise<void> {
    const child = this.#children.get(table)
    if (child === undefined) return
    this.#children.delete(table)
    this.#order = this.#order.filter((t) => t !== table)
    child.source.destroy()
    await closed(child.source)
    await this.#sections?.remove(table)
    this.emit('table', { table, action: 'removed', reason })
    this.#maybeEnd()
    this.#pull()
  }

  // A table deleted under its source fails that source: the table ends; any other failure fails the stream.
  #childFailed (table: string, err: Error): void {
    if (this.destroyed) return
    listTableNames(this.#client, this.#o.resolved.snapshotRetries, this.#abort.signal).then(async (names) => {
      if (names.includes(table)) throw err
      await this.#remove(table, `deleted (${err.message})`)
    }).catch((e: unknown) => { this.#fail(e) })
  }

  async #discoverLoop (): Promise<void> {
    const signal = this.#abort.signal
    try {
      while (!signal.aborted) {
        await sleep(this.#o.tableDiscoveryInterval, signal)
        await this.discover()
      }
    } catch (err) {
      if (!signal.aborted) this.#fail(err)
    }
  }

  /** Looks for tables that joined or left the selection now (also runs every tableDiscoveryInterval). */
  async discover (): Promise<void> {
    const picked = await this.#select(await listTableNames(this.#client, this.#o.resolved.snapshotRetries, this.#abort.signal))
    if (this.destroyed) return
    for (const table of this.tables.filter((t) => !picked.includes(t))) await this.#remove(table, 'no longer listed or selected')
    for (const table of picked.filter((t) => !this.#children.has(t))) this.#add(table, this.#o.newTables, true)
    this.#pull()
  }

  #pendingTotal (): number {
    let n = 0
    for (const c of this.#children.values()) n += c.pending.size
    return n
  }

  override _read (): void {
    this.#wanted = true
    this.#pull()
  }

  // Round robin over the tables, one record at a time, while the consumer wants more and the unacknowledged total allows.
  #pull (): void {
    if (this.#pulling || this.destroyed) return
    this.#pulling = true
    try {
      const tracking = this.#sections !== undefined
      let idle = 0
      while (this.#wanted && idle < this.#order.length && (!tracking || this.#pendingTotal() < this.#o.resolved.maxUnacked)) {
        this.#next %= this.#order.length
        const table = this.#order[this.#next++] as string
        const child = this.#children.get(table) as Child
        const record = child.source.read() as OpenCDCRecord | null
        if (record === null) { idle++; continue }
        idle = 0
        const position = encodeTablePosition(table, record.position)
        if (tracking) child.pending.add(position.toString('latin1'))
        this.#wanted = this.push({ ...record, position })
      }
    } finally {
      this.#pulling = false
    }
  }

  #maybeEnd (): void {
    const all = [...this.#children.values()]
    if (this.#o.resolved.snapshotOnly ? all.every((c) => c.ended) : all.length === 0 && this.#o.tableDiscoveryInterval === 0) this.push(null)
  }

  #fail (err: unknown): void { failReader(this, err) }

  override destroy (error?: Error): this {
    if (!this.destroyed) this.#abort.abort(abortError(error))
    return super.destroy(error)
  }

  override _destroy (err: Error | null, cb: (error?: Error | null) => void): void {
    const children = [...this.#children.values()].map((c) => c.source)
    for (const c of children) c.destroy()
    Promise.all([...children.map(closed), this.#discovering]).then(() => {
      const failed = children.map((c) => c.errored).find((e) => e !== null && e.name !== 'AbortError')
      cb(err ?? failed ?? null)
    }, cb).finally(() => {
      if (this.#owns.client) this.#client.destroy()
      if (this.#owns.streams) this.#streams?.destroy()
    })
  }
}

function closed (source: DynamoDBSource): Promise<void> {
  return source.closed ? Promise.resolve() : new Promise((resolve) => { source.once('close', () => { resolve() }) })
}
