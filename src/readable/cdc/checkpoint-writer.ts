import type { CheckpointStore } from '../../checkpoint.js'

/**
 * Saves a checkpoint document whenever asked, one save at a time; requests during a save collapse into
 * one more save of the newest document, so progress is never written out of order.
 */
export class CheckpointWriter<T> {
  #store: CheckpointStore<T>
  #build: () => T
  #onError: (err: Error) => void
  #running: Promise<void> | undefined
  #dirty = false
  saves = 0

  constructor (store: CheckpointStore<T>, build: () => T, onError: (err: Error) => void) {
    this.#store = store
    this.#build = build
    this.#onError = onError
  }

  request (): void {
    this.#dirty = true
    this.#running ??= this.#loop().finally(() => { this.#running = undefined })
  }

  async #loop (): Promise<void> {
    while (this.#dirty) {
      this.#dirty = false
      try {
        await this.#store.save(this.#build())
        this.saves++
      } catch (err) {
        this.#onError(err as Error)
        return
      }
    }
  }

  /** Waits for pending saves, then writes the current document once more. */
  async flush (): Promise<void> {
    await this.#running
    this.request()
    await this.#running
  }
}
