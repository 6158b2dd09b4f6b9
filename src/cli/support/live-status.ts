import { META_CREATED_AT, type OpenCDCRecord } from '../../model/record.js'
import { formatDuration } from '../../metrics/stall.js'

/** Counters of a running copy at one instant. */
export interface StatusSample {
  /** Milliseconds (any clock, the same for every sample). */
  at: number
  read: number
  written: number
  /** opencdc.createdAt (ms) of the newest change written; undefined before the first. */
  lastCreatedAt?: number | undefined
}

const perSecond = (n: number): string => n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)

/**
 * The live line after the snapshot: how far behind the table the last written change is, and the read and
 * write rates since the previous sample. "caught up" once everything read is written and nothing new came.
 */
export function statusLine (prev: StatusSample, cur: StatusSample): string {
  const secs = (cur.at - prev.at) / 1000
  const rate = (a: number, b: number): number => secs > 0 ? Math.max(0, a - b) / secs : 0
  const idle = cur.read === prev.read && cur.written === cur.read
  const lag = cur.lastCreatedAt === undefined ? 'lag -' : idle ? 'caught up' : `lag ${formatDuration(Math.max(0, cur.at - cur.lastCreatedAt))}`
  return `changes: ${lag} | ${perSecond(rate(cur.read, prev.read))} records/s | ${perSecond(rate(cur.written, prev.written))} writes/s | ${cur.written.toLocaleString('en-US')} written`
}

/** opencdc.createdAt of a record in milliseconds (unix nanoseconds text in metadata), or undefined. */
export function createdAtMs (record: OpenCDCRecord): number | undefined {
  const text = record.metadata?.[META_CREATED_AT]
  if (text === undefined || !/^\d+$/.test(text)) return undefined
  return Number(BigInt(text) / 1_000_000n)
}
