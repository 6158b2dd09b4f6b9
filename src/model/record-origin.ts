import type { OpenCDCRecord } from './record.js'

// Where a parsed record came from, as a non-enumerable symbol property: invisible to keys, spread, JSON and deep
// equality, and a fifth of the cost of a WeakMap entry (which the profile showed on every parsed line).
const LINE = Symbol('dynamodb-opencdc.line')

/** Remembers the 1-based input line a record was parsed from. */
export function setLineOf (record: OpenCDCRecord, line: number): void {
  Object.defineProperty(record, LINE, { value: line, writable: true, configurable: true })
}

/** The input line a record was parsed from, if it came from JSON Lines. */
export function lineOf (record: unknown): number | undefined {
  if (typeof record !== 'object' || record === null) return undefined
  const line = (record as { [LINE]?: unknown })[LINE]
  return typeof line === 'number' ? line : undefined
}
