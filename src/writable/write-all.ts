import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'

/**
 * Writes every record to a Writable with backpressure, then ends it and waits until it finished (every
 * batch flushed). A failure of the Writable rejects at once. A failure of the records (a malformed
 * input line) ends the Writable first, so everything before it is written, then rejects with it —
 * where stream.pipeline() would destroy the Writable and drop the batches it still buffered.
 */
export async function writeAll<T> (records: AsyncIterable<T>, dest: Writable): Promise<void> {
  const done = finished(dest)
  done.catch(() => {})
  try {
    for await (const record of records) {
      if (dest.destroyed) break
      if (!dest.write(record)) await Promise.race([once(dest, 'drain'), done])
    }
  } catch (err) {
    if (!dest.destroyed) {
      dest.end()
      await done.catch(() => {})
    }
    throw err
  }
  if (!dest.destroyed) dest.end()
  await done
}
