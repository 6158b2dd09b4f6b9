import { once } from 'node:events'
import type { Readable, Writable } from 'node:stream'

export interface TakeOptions {
  /** Stop (cleanly) when this aborts. */
  signal: AbortSignal
  /** Stop after this long without a record (not counted while a DynamoDB source is snapshotting). */
  idleMs?: number
  /** Stop after this many records. */
  maxRecords?: number
}

/** Why `take` ended: the stream ended, the signal, the idle timeout or the record cap. */
export type TakeEnd = 'end' | 'stopped' | 'idle' | 'max'

/**
 * Iterates a Readable until it ends or a stop condition holds. Stopping does not destroy the stream:
 * the caller flushes and acknowledges what it already has, then destroys it.
 */
export async function * take<T> (stream: Readable, opts: TakeOptions, onEnd?: (why: TakeEnd) => void): AsyncGenerator<T> {
  const it = stream.iterator({ destroyOnReturn: false })[Symbol.asyncIterator]()
  let count = 0
  let timer: NodeJS.Timeout | undefined
  let wake: ((why: TakeEnd) => void) | undefined
  const interrupt = new Promise<TakeEnd>((resolve) => { wake = resolve })
  const onAbort = (): void => wake?.('stopped')
  if (opts.signal.aborted) { onEnd?.('stopped'); return }
  opts.signal.addEventListener('abort', onAbort, { once: true })
  // A DynamoDB source still snapshotting is busy, not idle: a slow Scan page must not end the run early.
  const snapshotting = (): boolean => {
    const phase = (stream as { phase?: unknown }).phase
    return phase === 'idle' || phase === 'snapshot'
  }
  const arm = (): void => {
    if (opts.idleMs === undefined) return
    clearTimeout(timer)
    timer = setTimeout(() => { if (snapshotting()) arm(); else wake?.('idle') }, opts.idleMs)
  }
  try {
    arm()
    for (;;) {
      if (opts.maxRecords !== undefined && count >= opts.maxRecords) { onEnd?.('max'); return }
      const next = it.next()
      const got = await Promise.race([next, interrupt])
      if (typeof got === 'string') {
        // The pending read stays unresolved; the stream is destroyed by the caller afterwards.
        next.catch(() => {})
        onEnd?.(got)
        return
      }
      if (got.done === true) { onEnd?.('end'); return }
      count++
      arm()
      yield got.value as T
    }
  } finally {
    clearTimeout(timer)
    opts.signal.removeEventListener('abort', onAbort)
  }
}

/** Destroys a stream and waits until it closed (a source saves its checkpoint then); an abort is not a failure. */
export async function close (stream: Readable | Writable): Promise<void> {
  if (stream.closed) return
  const closed = once(stream, 'close')
  stream.destroy()
  try {
    await closed
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err
  }
}

/** Passes items through, calling `onItem` for each. */
export async function * counted<T> (items: AsyncIterable<T>, onItem: () => void): AsyncGenerator<T> {
  for await (const item of items) {
    onItem()
    yield item
  }
}
