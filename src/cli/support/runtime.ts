import { once } from 'node:events'
import { fstatSync } from 'node:fs'
import type { Writable } from 'node:stream'
import type { Tally } from './summary.js'

/** What a command gets besides its arguments; tests of the dispatcher can pass their own streams. */
export interface CommandContext {
  stdout: Writable
  stderr: NodeJS.WriteStream | Writable
  env: NodeJS.ProcessEnv
  /** Aborted on SIGINT/SIGTERM or when stdout's reader goes away (EPIPE): stop, flush, checkpoint, exit 0. */
  signal: AbortSignal
  /** What the command counts for its summary line (records read, written, dead-lettered). */
  tally: Tally
}

export interface Command {
  name: string
  summary: string
  help: string
  /** The command shows its own --help (bench passes it to the benchmark runner). */
  passHelp?: boolean
  /** Resolves with the exit code (0 when it stopped as asked). */
  run: (argv: string[], ctx: CommandContext) => Promise<number>
}

/** Why a command was asked to stop: a signal name or 'EPIPE'. */
export class StopRequest extends Error {
  constructor (readonly why: string) {
    super(`stopped by ${why}`)
    this.name = 'StopRequest'
  }
}

// One Ctrl-C under npx arrives twice: from the terminal (to the whole process group) and forwarded by npm.
const SAME_SIGNAL_MS = 300
const PARENT_POLL_MS = 1000

/**
 * The first SIGINT/SIGTERM aborts the returned signal so the command can finish cleanly; a second one
 * (not the same Ctrl-C delivered twice) exits at once with 130. An EPIPE on stdout (`| head`) aborts it
 * too, and so does the death of the parent process (npx's `sh -c` killed by SIGTERM leaves us orphaned).
 */
export function stopSignal (stdout: Writable, parent: { ppid: () => number, pollMs?: number } = { ppid: () => process.ppid }): { signal: AbortSignal, dispose: () => void } {
  const controller = new AbortController()
  let first = 0
  const onSignal = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      if (Date.now() - first < SAME_SIGNAL_MS) return
      process.exit(130)
    }
    first = Date.now()
    controller.abort(new StopRequest(sig))
  }
  const ppid = parent.ppid()
  const watch = setInterval(() => {
    if (parent.ppid() !== ppid && !controller.signal.aborted) controller.abort(new StopRequest('parent exit'))
  }, parent.pollMs ?? PARENT_POLL_MS)
  watch.unref()
  const onStdoutError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
      if (!controller.signal.aborted) controller.abort(new StopRequest('EPIPE'))
      return
    }
    if (!controller.signal.aborted) controller.abort(err)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  stdout.on('error', onStdoutError)
  return {
    signal: controller.signal,
    dispose () {
      clearInterval(watch)
      process.removeListener('SIGINT', onSignal)
      process.removeListener('SIGTERM', onSignal)
    }
  }
}

/** True when the reader of stdout has gone away; writing more is pointless. */
export function outputClosed (stdout: Writable, signal: AbortSignal): boolean {
  return stdout.destroyed || (signal.aborted && signal.reason instanceof StopRequest && signal.reason.why === 'EPIPE')
}

/**
 * Writes one chunk honouring backpressure; resolves false when output is closed or the command is
 * stopping. `onWritten` runs once the chunk left the process (the moment to acknowledge its record).
 */
export async function writeOut (stdout: Writable, chunk: string | Buffer, signal: AbortSignal, onWritten?: () => void): Promise<boolean> {
  if (outputClosed(stdout, signal)) return false
  const flushed = onWritten === undefined ? undefined : (err?: Error | null): void => { if (err == null) onWritten() }
  if (stdout.write(chunk, flushed)) return true
  try {
    await once(stdout, 'drain', { signal })
    return true
  } catch {
    return !outputClosed(stdout, signal)
  }
}

/**
 * True when a completed write to this stream is as safe as it gets: a regular file (no reader can drop
 * it), or an in-process Writable whose callback is its own acknowledgement. False for a pipe, FIFO,
 * socket, terminal or device, whose reader may still lose what was written.
 */
export function writesToFile (stdout: Writable): boolean {
  const fd = (stdout as { fd?: unknown }).fd
  if (typeof fd !== 'number') return true
  try {
    return fstatSync(fd).isFile()
  } catch {
    return false
  }
}

/** Resolves when the signal aborts (or at once if it already has). */
export function aborted (signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
}

/** Resolves once every chunk written so far has left the process (or the stream is gone). */
export async function flushed (stdout: Writable): Promise<void> {
  if (stdout.destroyed || stdout.writableLength === 0) return
  await new Promise<void>((resolve) => {
    stdout.write('', () => resolve())
    stdout.once('close', () => resolve())
  })
}
