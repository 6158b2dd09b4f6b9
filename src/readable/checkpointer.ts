import { ContiguousTracker } from '../ack-tracker.js'
import type { CheckpointStore } from '../checkpoint.js'
import { FileCheckpointStore } from '../checkpoint.js'
import { OpenCDCError } from '../errors.js'
import { checkCheckpoint, type SourceCheckpoint } from './plan.js'
import { positionKind } from './position.js'

interface Ticket { lane: string, seq: number }

/**
 * Acknowledgements → checkpoint document → store. Records are tracked per lane (a scan segment, a shard)
 * in emit order; when a lane's contiguous acknowledged frontier moves, the lane's commit function writes
 * it into the document, and the document is saved at most once per interval.
 */
export class Checkpointer {
  readonly store: CheckpointStore<SourceCheckpoint> | undefined
  readonly label: string
  doc: SourceCheckpoint
  #interval: number
  #onError: (err: Error) => void
  #tracker = new ContiguousTracker<unknown>()
  #commits = new Map<string, (point: unknown) => void>()
  #tickets = new Map<string, Ticket | Ticket[]>()
  #unacked = 0
  #dirty = false
  #timer: NodeJS.Timeout | undefined
  #saving: Promise<void> | undefined
  #lastSave = 0
  #error: Error | undefined

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor (opts: { store?: CheckpointStore<any>, file?: string, table: string, interval: number, onError: (err: Error) => void }) {
    this.store = (opts.store ?? (opts.file !== undefined ? new FileCheckpointStore(opts.file) : undefined)) as CheckpointStore<SourceCheckpoint> | undefined
    this.label = opts.file ?? (this.store instanceof FileCheckpointStore ? this.store.file : 'store')
    this.doc = { v: 1, table: opts.table }
    this.#interval = opts.interval
    this.#onError = opts.onError
  }

  get enabled (): boolean { return this.store !== undefined }

  /** Records emitted and not yet acknowledged. */
  get unacked (): number { return this.#unacked }

  async load (): Promise<SourceCheckpoint> {
    const loaded = await this.store?.load()
    if (loaded !== undefined && loaded !== null) this.doc = checkCheckpoint(loaded, this.doc.table, this.label)
    return this.doc
  }

  /** Declares a lane and how its acknowledged frontier is written into the document. */
  lane (lane: string, commit: (point: unknown) => void): void { this.#commits.set(lane, commit) }

  /** Tracks an emitted record under its position; call ack(position) when it is handled downstream. */
  track (lane: string, point: unknown, position: Buffer): void {
    if (this.store === undefined) return
    const ticket = { lane, seq: this.#tracker.track(lane, point) }
    const id = position.toString('latin1')
    const had = this.#tickets.get(id)
    this.#tickets.set(id, had === undefined ? ticket : Array.isArray(had) ? [...had, ticket] : [had, ticket])
    this.#unacked++
  }

  /** Tracks a point that carries no record (a page end, a finished segment): it counts once everything before it is acknowledged. */
  mark (lane: string, point: unknown): void {
    if (this.store === undefined) return
    this.#advance(lane, this.#tracker.ack(lane, this.#tracker.track(lane, point)))
  }

  /** Acknowledges the record with this position; false when it was not pending (already acknowledged). */
  ack (position: Uint8Array): boolean {
    if (this.store === undefined) return false
    const id = Buffer.from(position.buffer, position.byteOffset, position.byteLength).toString('latin1')
    const had = this.#tickets.get(id)
    if (had === undefined) {
      positionKind(position)
      return false
    }
    let ticket: Ticket
    if (Array.isArray(had)) {
      ticket = had[0] as Ticket
      if (had.length > 2) this.#tickets.set(id, had.slice(1))
      else this.#tickets.set(id, had[1] as Ticket)
    } else {
      ticket = had
      this.#tickets.delete(id)
    }
    this.#unacked--
    this.#advance(ticket.lane, this.#tracker.ack(ticket.lane, ticket.seq))
    return true
  }

  #advance (lane: string, moved: boolean): void {
    if (!moved) return
    this.#commits.get(lane)?.(this.#tracker.frontier(lane))
    this.changed()
  }

  /** The document changed: save it within the interval. */
  changed (): void {
    if (this.store === undefined) return
    this.#dirty = true
    if (this.#timer !== undefined || this.#saving !== undefined) return
    const wait = Math.max(0, this.#interval - (Date.now() - this.#lastSave))
    this.#timer = setTimeout(() => { this.#timer = undefined; void this.#save().catch(() => {}) }, wait)
  }

  #save (): Promise<void> {
    if (this.#saving !== undefined) return this.#saving
    const store = this.store
    if (store === undefined || !this.#dirty) return Promise.resolve()
    this.#dirty = false
    this.#lastSave = Date.now()
    this.#saving = store.save(structuredClone(this.doc)).then(() => {
      this.#saving = undefined
      if (this.#dirty) this.changed()
    }, (err: unknown) => {
      this.#saving = undefined
      const wrapped = new OpenCDCError('ERR_DDB_CHECKPOINT_SAVE', `checkpoint ${this.label}: save failed: ${(err as Error).message}`, { checkpoint: this.label }, { cause: err })
      this.#error ??= wrapped
      this.#onError(wrapped)
      throw wrapped
    })
    return this.#saving
  }

  /** Saves now if anything changed; rejects with the first save error. */
  async flush (): Promise<void> {
    if (this.#timer !== undefined) { clearTimeout(this.#timer); this.#timer = undefined }
    while (this.#saving !== undefined) await this.#saving.catch(() => {})
    if (this.#error !== undefined) throw this.#error
    if (this.#timer !== undefined) { clearTimeout(this.#timer); this.#timer = undefined }
    await this.#save()
  }
}
