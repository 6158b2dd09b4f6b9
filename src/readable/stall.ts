import type { Readable } from 'node:stream'
import type { MetricsApi } from '../metrics/index.js'
import type { StallSample } from '../metrics/stall.js'
import { watchStalls } from '../metrics/stall-watch.js'
import type { CdcPhase } from './cdc/cdc-phase.js'

/** What a reader knows about itself at one instant. */
export interface ReaderStallState {
  phase: string
  /** Grows with every record pushed, acknowledged, or page read (the CDC phase's own count is added). */
  moved: number
  /** Snapshot records not acknowledged. */
  unacked: number
  segments: readonly number[]
  cdc?: CdcPhase | undefined
}

/** The sample of a source or change stream: records waiting in its buffer and the CDC queue, unacked, shards with data, segments. */
export function readerSample (stream: Readable, s: ReaderStallState, inFlight: (api: MetricsApi) => number): StallSample {
  const cdc = s.phase === 'cdc' ? s.cdc?.stallWork() : undefined
  // After the last push ('done' phase) records may still wait in the buffer and for acknowledgement.
  const waiting = stream.readableLength + (cdc?.buffered ?? 0)
  // Records still in the buffer are counted once, as waiting.
  const unacked = Math.max(0, s.unacked + (cdc?.unacked ?? 0) - stream.readableLength)
  const shards = cdc?.shards ?? []
  const segments = s.phase === 'snapshot' ? s.segments : []
  // A poll of an idle shard in flight is not pending work (many shards always have one in flight).
  const pending = waiting > 0 || unacked > 0 || shards.length > 0 || segments.length > 0
  const inflight = pending ? inFlight(s.phase === 'snapshot' ? 'Scan' : 'GetRecords') : 0
  return { moved: s.moved + (s.cdc?.moved ?? 0), work: { phase: s.phase, waiting, unacked, inFlight: inflight, shards, segments } }
}

/** Watches a reader for stalls; the note names maxUnacked when that is what holds reading back. */
export function watchReaderStalls (stream: Readable, component: string, timeoutMs: number, maxUnacked: number, inFlight: (api: MetricsApi) => number, state: () => ReaderStallState): void {
  watchStalls(stream, {
    component,
    timeoutMs,
    sample: () => readerSample(stream, state(), inFlight),
    note: (sample) => sample.work.unacked >= maxUnacked ? `reading is paused at checkpoint.maxUnacked=${maxUnacked}: acknowledge records (source.ack, ackOnWrite) or raise maxUnacked` : undefined
  })
}
