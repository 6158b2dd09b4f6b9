import type { EventEmitter } from 'node:events'
import type { Logger } from 'pino'
import { OpenCDCError } from '../../errors/index.js'
import type { StallRecovery, StallReport } from '../../metrics/stall.js'
import { parseDurationFlag } from './args.js'
import type { Flag } from './flags.js'

/** --stall-timeout: the stallTimeout option of each side it is applied to (copy applies it to both). */
export const STALL_TIMEOUT: Flag = { name: 'stall-timeout', value: 'D', option: 'stallTimeout', parse: (c, f, raw) => parseDurationFlag(c, f, raw as string), help: 'warn when nothing moves for D while work is pending (default 5m; 0 never;\nstall.timeout)' }

/** --stall-timeout and --exit-on-stall (read, write, copy). */
export const STALL_FLAGS: readonly Flag[] = [
  STALL_TIMEOUT,
  { name: 'exit-on-stall', help: 'on a stall: save the checkpoint and exit 4 (for supervisors that restart)' }
]

export interface StallFlagValues { 'stall-timeout'?: string, 'exit-on-stall'?: boolean }

/** Exit code of a run stopped by --exit-on-stall (ERR_DDB_STALLED). */
export const EXIT_STALLED = 4

// How long a stopped run may take to wind down before the process exits anyway (a stuck pipe never drains).
const STOP_GRACE_MS = 5000

export interface StallGuard {
  /** The stall that stopped the run (--exit-on-stall), to be thrown by the command. */
  readonly error: OpenCDCError | undefined
  /** Throws the stall error when there was one; else rethrows `err` (when given). */
  check: (err?: unknown) => void
}

/**
 * Logs every 'stall' and 'recovered' of the streams as a warning line. With --exit-on-stall the first stall
 * destroys the streams with ERR_DDB_STALLED (the source saves its checkpoint as it closes); if the command has
 * not ended STOP_GRACE_MS later, `flush` runs and the process exits 4.
 */
export function guardStalls (streams: EventEmitter[], log: Logger, exitOnStall: boolean, flush: () => Promise<void>): StallGuard {
  let error: OpenCDCError | undefined
  const onStall = (r: StallReport): void => {
    log.warn(r.message)
    if (!exitOnStall || error !== undefined) return
    error = new OpenCDCError('ERR_DDB_STALLED', `${r.message}; stopping (--exit-on-stall)`, { component: r.component, phase: r.phase, waiting: r.waiting, unacked: r.unacked, inFlight: r.inFlight, shards: r.shards, segments: r.segments })
    for (const s of streams) (s as unknown as { destroy: (err: Error) => void }).destroy(error)
    setTimeout(() => {
      const exit = (): void => { process.stderr.write(`${error?.message ?? ''} [ERR_DDB_STALLED]\n`); process.exit(EXIT_STALLED) }
      flush().then(exit, exit)
    }, STOP_GRACE_MS).unref()
  }
  const onRecovered = (r: StallRecovery): void => { log.warn(r.message) }
  for (const s of streams) {
    s.on('stall', onStall)
    s.on('recovered', onRecovered)
  }
  return {
    get error () { return error },
    check (err?: unknown) {
      if (error !== undefined) throw error
      if (err !== undefined) throw err
    }
  }
}
