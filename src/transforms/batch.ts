import { Transform, type TransformCallback } from 'node:stream'
import { resolveOptions, type OptionSpec } from '../options/options.js'
import { OpenCDCError } from '../errors/index.js'

export const BATCH_TRANSFORM_SPECS: readonly OptionSpec[] = [
  { name: 'size', setting: 'sdk.batch.size', kind: 'int', min: 0, default: 0, doc: 'Records per batch at most (0: no size limit when a delay is set, else 1).' },
  { name: 'delay', setting: 'sdk.batch.delay', kind: 'duration', min: 0, default: 0, doc: 'Longest time the first record of a batch waits for it to fill (0: wait until full).' }
]

export interface BatchOptions {
  /** `sdk.batch.size`: records per batch at most. */
  size?: number | string
  /** `sdk.batch.delay`: ms or a Go duration ("250ms"). */
  delay?: number | string
  [setting: string]: unknown
}

class Batcher<T> extends Transform {
  #size: number
  #delay: number
  #batch: T[] = []
  #timer: NodeJS.Timeout | undefined

  constructor (size: number, delay: number) {
    super({ objectMode: true })
    this.#size = size
    this.#delay = delay
  }

  #emit (): void {
    if (this.#timer !== undefined) { clearTimeout(this.#timer); this.#timer = undefined }
    if (this.#batch.length === 0) return
    const batch = this.#batch
    this.#batch = []
    this.push(batch)
  }

  override _transform (item: T, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#batch.push(item)
    if (this.#batch.length >= this.#size) this.#emit()
    else if (this.#timer === undefined && this.#delay > 0) this.#timer = setTimeout(() => this.#emit(), this.#delay)
    cb()
  }

  override _flush (cb: TransformCallback): void {
    this.#emit()
    cb()
  }

  override _destroy (err: Error | null, cb: (error?: Error | null) => void): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    cb(err)
  }
}

/**
 * Groups records into arrays with Conduit's sdk.batch.size / sdk.batch.delay semantics: a batch
 * leaves when it holds `size` records or when its first record has waited `delay`, and at the end.
 */
export function batch<T = unknown> (options: BatchOptions = {}): Transform {
  const o = resolveOptions<{ size: number, delay: number }>(BATCH_TRANSFORM_SPECS, options, 'batch')
  const size = o.size > 0 ? o.size : o.delay > 0 ? Infinity : 1
  return new Batcher<T>(size, o.delay)
}

/** The inverse of batch(): arrays in, their items out one by one. */
export function unbatch (): Transform {
  let index = 0
  return new Transform({
    objectMode: true,
    transform (chunk: unknown, _enc, cb) {
      const i = index++
      if (!Array.isArray(chunk)) {
        cb(new OpenCDCError('ERR_DDB_INVALID_BATCH', `unbatch: chunk #${i} is a ${chunk === null ? 'null' : typeof chunk}, expected an array of records`, { index: i }))
        return
      }
      for (const item of chunk) this.push(item)
      cb()
    }
  })
}
