import { positionKind } from '../readable/snapshot/position.js'
import { checkCheckpoint, type SourceCheckpoint } from './document.js'
import { AckLedger, positionId } from './ledger.js'
import { CheckpointSaver } from './saver.js'
import { FileCheckpointStore, type CheckpointStore } from './stores.js'

/**
 * The source's checkpoint: the document, its ack ledger and its saver. Records are tracked per lane (a
 * scan segment, a shard) in emit order; when a lane's contiguous acknowledged frontier moves, the lane's
 * commit function writes it into the document, and the document is saved at most once per interval.
 */
export class Checkpointer {
  readonly store: CheckpointStore<SourceCheckpoint> | undefined
  readonly label: string
  doc: SourceCheckpoint
  #commits = new Map<string, (point: unknown) => void>()
  #ledger = new AckLedger<unknown>((lane, frontier) => {
    this.#commits.get(lane)?.(frontier)
    this.changed()
  })

  #saver: CheckpointSaver<SourceCheckpoint> | undefined

  constructor (opts: { store?: CheckpointStore<any>, file?: string, table: string, interval: number, onError: (err: Error) => void, onSaved?: () => void }) {
    this.store = (opts.store ?? (opts.file !== undefined ? new FileCheckpointStore(opts.file) : undefined)) as CheckpointStore<SourceCheckpoint> | undefined
    this.label = opts.file ?? (this.store instanceof FileCheckpointStore ? this.store.file : 'store')
    this.doc = { v: 1, table: opts.table }
    if (this.store !== undefined) {
      this.#saver = new CheckpointSaver({ store: this.store, build: () => structuredClone(this.doc), interval: opts.interval, label: this.label, onError: opts.onError, ...(opts.onSaved !== undefined ? { onSaved: opts.onSaved } : {}) })
    }
  }

  get enabled (): boolean { return this.store !== undefined }

  /** Records emitted and not yet acknowledged. */
  get unacked (): number { return this.#ledger.unacked }

  async load (): Promise<SourceCheckpoint> {
    const loaded = await this.store?.load()
    if (loaded !== undefined && loaded !== null) this.doc = checkCheckpoint(loaded, this.doc.table, this.label)
    return this.doc
  }

  /** Declares a lane and how its acknowledged frontier is written into the document. */
  lane (lane: string, commit: (point: unknown) => void): void { this.#commits.set(lane, commit) }

  /** Tracks an emitted record under its position; call ack(position) when it is handled downstream. */
  track (lane: string, point: unknown, position: Buffer): void {
    if (this.store !== undefined) this.#ledger.track(lane, point, positionId(position))
  }

  /** Tracks a point that carries no record (a page end, a finished segment): it counts once everything before it is acknowledged. */
  mark (lane: string, point: unknown): void {
    if (this.store !== undefined) this.#ledger.mark(lane, point)
  }

  /** Acknowledges the record with this position; false when it was not pending (already acknowledged). */
  ack (position: Uint8Array): boolean {
    if (this.store === undefined) return false
    if (this.#ledger.ack(positionId(position))) return true
    positionKind(position)
    return false
  }

  /** The document changed: save it within the interval. */
  changed (): void { this.#saver?.changed() }

  /** Saves now if anything changed; rejects with the first save error. */
  async flush (): Promise<void> { await this.#saver?.flush() }
}
