import type { OpenCDCRecord } from './record.js'

// Where a parsed record came from, without adding a field to the record (a WeakMap: nothing to free, nothing to leak).
const LINES = new WeakMap<object, number>()

/** Remembers the 1-based input line a record was parsed from. */
export function setLineOf (record: OpenCDCRecord, line: number): void {
  LINES.set(record, line)
}

/** The input line a record was parsed from, if it came from JSON Lines. */
export function lineOf (record: unknown): number | undefined {
  return typeof record === 'object' && record !== null ? LINES.get(record) : undefined
}
