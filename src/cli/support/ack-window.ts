import { readFileSync } from 'node:fs'

const MiB = 1024 * 1024

/** Room for what a reader of a pipe may hold in its own buffers (head, gzip, a Node stream) and never print. */
const READER_BUFFER = 3 * MiB

/**
 * Bytes that must follow a line on a pipe, FIFO, socket or terminal before its record is acknowledged:
 * the largest pipe buffer (Linux: /proc/sys/fs/pipe-max-size, 1 MiB by default) plus a reader's buffer.
 */
export function defaultAckLag (pipeMaxFile = '/proc/sys/fs/pipe-max-size'): number {
  let pipeMax = MiB
  try {
    const n = Number(readFileSync(pipeMaxFile, 'utf8').trim())
    if (Number.isSafeInteger(n) && n > pipeMax) pipeMax = n
  } catch {}
  return pipeMax + READER_BUFFER
}

/**
 * Delays acknowledgements of lines written to an output whose reader may not have consumed them yet.
 * A line counts once its write completed (`written`, in write order); its item is acknowledged when
 * `lag` more bytes have been written after it, since a pipe and its reader cannot hold more than that
 * unread. `finish` (the output ended without error) acknowledges the rest; after an early close the
 * caller simply never calls it, so nothing past the window is acknowledged.
 */
export class AckWindow<T> {
  readonly lag: number
  readonly #ack: (item: T) => void
  #items: T[] = []
  #ends: number[] = []
  #head = 0
  #bytes = 0

  constructor (lag: number, ack: (item: T) => void) {
    if (!Number.isSafeInteger(lag) || lag < 0) throw new RangeError(`lag must be a whole number of bytes ≥ 0, got ${lag}`)
    this.lag = lag
    this.#ack = ack
  }

  /** Bytes written so far. */
  get bytes (): number { return this.#bytes }

  /** Items written and not yet acknowledged. */
  get pending (): number { return this.#items.length - this.#head }

  /** The line of `item`, `bytes` long, has been written (its write callback ran without error). */
  written (item: T, bytes: number): void {
    this.#bytes += bytes
    this.#items.push(item)
    this.#ends.push(this.#bytes)
    while (this.#head < this.#items.length && this.#bytes - (this.#ends[this.#head] as number) >= this.lag) this.#release()
    this.#compact()
  }

  /** The output ended without error and its reader got everything: acknowledges every pending item. */
  finish (): void {
    while (this.#head < this.#items.length) this.#release()
    this.#compact()
  }

  #release (): void {
    const item = this.#items[this.#head] as T
    this.#items[this.#head++] = undefined as T
    this.#ack(item)
  }

  // Drops released slots now and then, so the arrays stay about as long as the window.
  #compact (): void {
    if (this.#head < 1024 || this.#head * 2 < this.#items.length) return
    this.#items = this.#items.slice(this.#head)
    this.#ends = this.#ends.slice(this.#head)
    this.#head = 0
  }
}
