import { OpenCDCError } from '../errors/index.js'
import type { CheckpointStore } from './stores.js'

export interface SaverOptions<T> {
  store: CheckpointStore<T>
  /** The document as it should be saved now. */
  build: () => T
  /** Least time between two saves (ms); checkpoint.interval. */
  interval: number
  /** Names the checkpoint in errors (a file path, or "store"). */
  label: string
  /** A save failed (wrapped as ERR_DDB_CHECKPOINT_SAVE); called once per failure. */
  onError: (err: OpenCDCError) => void
  /** A save succeeded (metrics: checkpoint age). */
  onSaved?: () => void
}

/**
 * Saves a checkpoint document at most once per interval, one save at a time: changes during a save or
 * a wait collapse into one save of the newest document, so progress is never written out of order and a
 * burst of acknowledgements costs one write (one conditional PutItem with DynamoDBCheckpointStore).
 */
export class CheckpointSaver<T> {
  #o: SaverOptions<T>
  #dirty = false
  #timer: NodeJS.Timeout | undefined
  #saving: Promise<void> | undefined
  #lastSave = -Infinity
  #error: OpenCDCError | undefined
  saves = 0

  constructor (options: SaverOptions<T>) { this.#o = options }

  /** The document changed: save it within the interval. */
  changed (): void {
    this.#dirty = true
    if (this.#timer !== undefined || this.#saving !== undefined) return
    const wait = this.#o.interval - (Date.now() - this.#lastSave)
    if (wait <= 0) { void this.#save().catch(() => {}); return }
    this.#timer = setTimeout(() => { this.#timer = undefined; void this.#save().catch(() => {}) }, wait)
  }

  #save (): Promise<void> {
    if (this.#saving !== undefined) return this.#saving
    if (!this.#dirty) return Promise.resolve()
    this.#dirty = false
    this.#lastSave = Date.now()
    // The document as of this change; the store is called a microtask later, after the caller's own bookkeeping.
    const doc = this.#o.build()
    this.#saving = Promise.resolve().then(async () => { await this.#o.store.save(doc) }).then(() => {
      this.saves++
      this.#o.onSaved?.()
      this.#saving = undefined
      if (this.#dirty) this.changed()
    }, (err: unknown) => {
      this.#saving = undefined
      const label = this.#o.label
      const wrapped = new OpenCDCError('ERR_DDB_CHECKPOINT_SAVE', `checkpoint ${label}: save failed: ${(err as Error)?.message ?? String(err)}`, { checkpoint: label }, { cause: err })
      this.#error ??= wrapped
      this.#o.onError(wrapped)
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
