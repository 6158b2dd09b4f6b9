import { BIN } from './args.js'

/** What a command counted; a command fills in only what it does (`local` counts nothing). */
export interface Tally {
  read?: number
  written?: number
  deadLettered?: number
}

/** Exit code of a run that finished but sent records or lines to its dead-letter file. */
export const EXIT_DEAD_LETTERED = 3

/** True when -q/--quiet is among the command's own flags (before a `--`). */
export function quietRequested (argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false
    if (a === '-q' || a === '--quiet') return true
  }
  return false
}

function seconds (ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000).toString()
}

/** The one line every command ends with: `dynamodb-opencdc write summary: 40 read, 38 written, 2 dead-lettered, 1.2 s, exit 3`. */
export function summaryLine (command: string, tally: Tally, ms: number, exitCode: number): string {
  const parts: string[] = []
  if (tally.read !== undefined) parts.push(`${tally.read} read`)
  if (tally.written !== undefined) parts.push(`${tally.written} written`)
  if (tally.deadLettered !== undefined) parts.push(`${tally.deadLettered} dead-lettered`)
  parts.push(`${seconds(ms)} s`, `exit ${exitCode}`)
  return `${BIN} ${command} summary: ${parts.join(', ')}\n`
}

/** A finished run's exit code: 3 instead of 0 when anything was dead-lettered, so scripts cannot miss it. */
export function exitCodeOf (code: number, tally: Tally): number {
  return code === 0 && (tally.deadLettered ?? 0) > 0 ? EXIT_DEAD_LETTERED : code
}
