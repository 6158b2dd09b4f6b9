import type { Writable } from 'node:stream'
import { OpenCDCError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'

interface Acknowledger {
  ack: (record: OpenCDCRecord | Uint8Array) => void
  /** Saves the checkpoint now; awaited before the destination finishes, so pipeline() resolves after the last save. */
  flushCheckpoint?: () => Promise<void>
}

function positionOf (chunk: unknown): Uint8Array {
  const position = (chunk as { position?: unknown } | null)?.position
  if (!(position instanceof Uint8Array)) {
    throw new OpenCDCError('ERR_DDB_INVALID_ACK', 'ackOnWrite: the destination received a chunk without a position Buffer; wrap the Writable that receives the records')
  }
  return position
}

/**
 * Makes a Writable acknowledge each record to the source when its write callback succeeds, i.e. once
 * the destination has handled it. Returns the same Writable, for pipeline(source, …, ackOnWrite(source, dest)).
 * Records may be copies (a transform may rebuild them): acks match by position. When the destination
 * ends, the source's checkpoint is saved before it emits 'finish'.
 */
export function ackOnWrite<W extends Writable> (source: Acknowledger, destination: W): W {
  const dest = destination as unknown as {
    _write?: (chunk: unknown, encoding: BufferEncoding, cb: (err?: Error | null) => void) => void
    _writev?: (chunks: Array<{ chunk: unknown, encoding: BufferEncoding }>, cb: (err?: Error | null) => void) => void
    _final?: (cb: (err?: Error | null) => void) => void
  }
  const write = dest._write
  const writev = dest._writev
  if (typeof write === 'function') {
    dest._write = function (chunk, encoding, cb) {
      let position: Uint8Array
      try { position = positionOf(chunk) } catch (err) { cb(err as Error); return }
      write.call(this, chunk, encoding, (err) => {
        if (err == null) source.ack(position)
        cb(err)
      })
    }
  }
  if (typeof writev === 'function') {
    dest._writev = function (chunks, cb) {
      let positions: Uint8Array[]
      try { positions = chunks.map((c) => positionOf(c.chunk)) } catch (err) { cb(err as Error); return }
      writev.call(this, chunks, (err) => {
        if (err == null) for (const p of positions) source.ack(p)
        cb(err)
      })
    }
  }
  const final = dest._final
  const flush = (cb: (err?: Error | null) => void): void => {
    if (source.flushCheckpoint === undefined) cb()
    else source.flushCheckpoint().then(() => cb(), cb)
  }
  // Every write has settled (and acked) before _final: save the checkpoint they produced before 'finish'.
  dest._final = function (cb) {
    if (typeof final !== 'function') { flush(cb); return }
    final.call(this, (err) => { if (err != null) cb(err); else flush(cb) })
  }
  return destination
}
