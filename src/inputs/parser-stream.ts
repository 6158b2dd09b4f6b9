import { Duplex, type DuplexOptions } from 'node:stream'

/**
 * A Duplex around an async-iterable transform (bytes in → objects out). Node 20's Duplex.from(asyncGenerator)
 * never closes on destroy() while the generator waits for input (an open stdin), so this shell owns the hand-off.
 */
export class IterableDuplex extends Duplex {
  #chunks: Array<{ chunk: Buffer | string, cb: (err?: Error | null) => void }> = []
  #ended = false
  #wake: (() => void) | undefined
  #pull: (() => void) | undefined
  #started = false
  #stopped = false
  #transform: (source: AsyncIterable<Buffer | string>) => AsyncIterable<unknown>

  constructor (transform: (source: AsyncIterable<Buffer | string>) => AsyncIterable<unknown>, options: DuplexOptions = {}) {
    super({ writableObjectMode: false, readableObjectMode: true, ...options })
    this.#transform = transform
  }

  override _write (chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#chunks.push({ chunk, cb })
    this.#wake?.()
  }

  override _final (cb: (err?: Error | null) => void): void {
    this.#ended = true
    this.#wake?.()
    cb()
  }

  override _read (): void {
    this.#pull?.()
    if (this.#started) return
    this.#started = true
    this.#pump().catch((err: Error) => { if (!this.#stopped) this.destroy(err) })
  }

  override _destroy (err: Error | null, cb: (err?: Error | null) => void): void {
    this.#stopped = true
    for (const c of this.#chunks.splice(0)) c.cb(err)
    this.#wake?.()
    this.#pull?.()
    cb(err)
  }

  async * #source (): AsyncGenerator<Buffer | string> {
    for (;;) {
      const next = this.#chunks.shift()
      if (next !== undefined) { next.cb(); yield next.chunk; continue }
      if (this.#ended || this.#stopped) return
      await new Promise<void>((resolve) => { this.#wake = resolve })
      this.#wake = undefined
    }
  }

  async #pump (): Promise<void> {
    for await (const out of this.#transform(this.#source())) {
      if (this.#stopped) return
      // Backpressure: wait for the next _read before producing more.
      if (!this.push(out)) await new Promise<void>((resolve) => { this.#pull = resolve })
      this.#pull = undefined
      if (this.#stopped) return
    }
    if (!this.#stopped) this.push(null)
  }
}
