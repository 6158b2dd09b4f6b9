import type { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { OpenCDCError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'
import { createDestination } from '../writable/destination.js'
import type { RecordSink, StreamHandlerDestination } from './options.js'

/** What one invocation learnt from its destination: the first record (by batch index) not known durable, and why. */
export interface Settled {
  firstNotDone?: number
  error?: Error
}

/** One invocation's writes: write(record, index) in index order, then settle() once. */
export interface InvocationWriter {
  /** The lowest index already known to have failed (nothing after it needs writing). */
  readonly failedAt: number | undefined
  write: (record: OpenCDCRecord, index: number) => Promise<void>
  /** Waits until every write is durable or failed; at `abortInMs` aborts what is still in flight. */
  settle: (abortInMs: number) => Promise<Settled>
}

export function deadlineError (): OpenCDCError {
  return new OpenCDCError('ERR_DDB_LAMBDA_DEADLINE', 'the invocation is about to time out (context.getRemainingTimeInMillis() below deadlineMarginMs): records from here on are left for the retry')
}

// Cancelled once the race is decided, so a settled invocation leaves no timer behind.
async function timeout (ms: number, signal: AbortSignal): Promise<'timeout'> {
  if (!Number.isFinite(ms)) return await new Promise(() => {})
  try { await sleep(ms, undefined, { signal }) } catch {}
  return 'timeout'
}

/** Writes with the stream's own callbacks: Node calls a Writable's write callbacks in order, each once its record is durable (docs/destination.md). */
class WritableWriter implements InvocationWriter {
  readonly #w: Writable
  /** Records the destination reported written (onWritten), which count as done even when their round failed. */
  readonly confirmed = new WeakSet<OpenCDCRecord>()
  readonly #pending = new Map<{ record: OpenCDCRecord }, number>()
  #failedAt: number | undefined
  #error: Error | undefined
  #idle: (() => void) | undefined

  constructor (w: Writable) { this.#w = w }

  get failedAt (): number | undefined { return this.#failedAt }

  async write (record: OpenCDCRecord, index: number): Promise<void> {
    const token = { record }
    this.#pending.set(token, index)
    const ok = this.#w.write(record, (err?: Error | null) => {
      this.#pending.delete(token)
      // A destination fails a whole round; onWritten tells which of its records were written all the same.
      if (err != null && !this.confirmed.has(record) && (this.#failedAt === undefined || index < this.#failedAt)) {
        this.#failedAt = index
        this.#error = err
      }
      if (this.#pending.size === 0) this.#idle?.()
    })
    if (!ok && !this.#w.destroyed) await this.#drained()
  }

  async #drained (): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = (): void => { this.#w.off('drain', done); this.#w.off('close', done); this.#w.off('error', done); resolve() }
      this.#w.on('drain', done).on('close', done).on('error', done)
    })
  }

  async settle (abortInMs: number): Promise<Settled> {
    const idle = new Promise<void>((resolve) => { this.#idle = resolve })
    if (this.#pending.size > 0) {
      const cancel = new AbortController()
      const first = await Promise.race([idle, timeout(abortInMs, cancel.signal)])
      cancel.abort()
      if (first === 'timeout') {
        // Returning with writes in flight would let them land after the retry's newer writes: abort them first.
        this.#w.destroy(deadlineError())
        const closed = new AbortController()
        await Promise.race([idle, new Promise((resolve) => this.#w.once('close', resolve)), timeout(1000, closed.signal)])
        closed.abort()
      }
    }
    // Writes still pending (no callback yet) are not done; the Map keeps write order, so the first is the lowest.
    for (const [token, index] of this.#pending) {
      if (this.confirmed.has(token.record)) continue
      if (this.#failedAt === undefined || index < this.#failedAt) return { firstNotDone: index, error: this.#error ?? deadlineError() }
      break
    }
    return this.#failedAt === undefined ? {} : { firstNotDone: this.#failedAt, error: this.#error as Error }
  }
}

/** Collects the records, hands them to the sink in one call at settle(), with a signal aborted at the deadline. */
class SinkWriter implements InvocationWriter {
  readonly #sink: RecordSink
  readonly #records: OpenCDCRecord[] = []
  #firstIndex: number | undefined

  constructor (sink: RecordSink) { this.#sink = sink }

  get failedAt (): undefined { return undefined }

  async write (record: OpenCDCRecord, index: number): Promise<void> {
    this.#firstIndex ??= index
    this.#records.push(record)
  }

  async settle (abortInMs: number): Promise<Settled> {
    if (this.#records.length === 0) return {}
    const abort = new AbortController()
    const timer = Number.isFinite(abortInMs) ? setTimeout(() => { abort.abort(deadlineError()) }, abortInMs) : undefined
    try {
      await this.#sink(this.#records, { signal: abort.signal })
      return {}
    } catch (err) {
      // The sink says nothing about which records landed: none of them counts as done.
      return { firstNotDone: this.#firstIndex, error: err instanceof Error ? err : new Error(String(err)) }
    } finally {
      clearTimeout(timer)
    }
  }
}

/** The destination across invocations: a createDestination made once per container (again after it failed), a given Writable, or a sink. */
export class DestinationHolder {
  readonly #spec: StreamHandlerDestination
  #writable: Writable | undefined
  #current: WritableWriter | undefined

  constructor (spec: StreamHandlerDestination) {
    this.#spec = spec
    if (spec.kind === 'writable') this.#watch(spec.writable)
  }

  // Failures reach the handler through write callbacks; an 'error' event with no listener would crash the container.
  #watch (w: Writable): Writable {
    w.on('error', () => {})
    return w
  }

  open (): InvocationWriter {
    const spec = this.#spec
    if (spec.kind === 'sink') return new SinkWriter(spec.sink)
    if (spec.kind === 'writable') return new WritableWriter(spec.writable)
    const w = this.#writable
    if (w === undefined || w.destroyed || w.writableEnded || w.errored !== null) {
      const user = spec.options.onWritten
      this.#writable = this.#watch(createDestination({
        ...spec.options,
        onWritten: (records) => {
          for (const r of records) this.#current?.confirmed.add(r)
          user?.(records)
        }
      }))
    }
    this.#current = new WritableWriter(this.#writable as Writable)
    return this.#current
  }

  /** Destroys a destination the handler created (tests, shutdown hooks). */
  close (): void {
    this.#writable?.destroy()
  }
}
