import { Writable } from 'node:stream'
import { MultiBar, type SingleBar } from 'cli-progress'
import { pino, type Logger } from 'pino'

export interface UiOptions {
  quiet?: boolean
  verbose?: boolean
  /** Where logs and progress go (default process.stderr); never stdout, which carries data. */
  stderr?: NodeJS.WriteStream | Writable
}

export interface Progress {
  /** Items done so far, and the total when known (0 or undefined: unknown). */
  update: (items: number, total?: number) => void
  stop: () => void
}

export interface Ui {
  log: Logger
  /** A progress bar on a TTY; a no-op elsewhere or with --quiet. */
  progress: (label: string) => Progress
  /** One live status line on a TTY (below the bars); a no-op elsewhere or with --quiet. */
  status: () => { set: (text: string) => void, stop: () => void }
  close: () => void
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }

function humanLine (line: string): string {
  try {
    const { level, msg, time: _t, pid: _p, hostname: _h, ...rest } = JSON.parse(line) as Record<string, unknown>
    const extra = Object.keys(rest).length > 0 ? ' ' + JSON.stringify(rest) : ''
    return `${LEVEL_NAMES[level as number] ?? String(level)} ${String(msg ?? '')}${extra}`
  } catch {
    return line.trimEnd()
  }
}

const NOOP_PROGRESS: Progress = { update: () => {}, stop: () => {} }

/**
 * Logs and progress for a command. On a TTY: human log lines at info and a progress bar; elsewhere
 * (pipes, CI): JSON log lines at warn, no bar. --quiet keeps only errors, --verbose adds debug.
 */
export function createUi (opts: UiOptions = {}): Ui {
  const stderr = opts.stderr ?? process.stderr
  const tty = (stderr as NodeJS.WriteStream).isTTY === true
  const level = opts.quiet === true ? 'error' : opts.verbose === true ? 'debug' : tty ? 'info' : 'warn'
  let bars: MultiBar | undefined
  const human = new Writable({
    write (chunk: Buffer, _enc, cb) {
      const text = humanLine(chunk.toString())
      if (bars !== undefined) bars.log(text + '\n')
      else stderr.write(text + '\n')
      cb()
    }
  })
  const json = stderr === process.stderr ? pino.destination({ dest: 2, sync: true }) : stderr
  const log = pino({ level, base: undefined }, tty ? human : json)
  const progress = (label: string): Progress => {
    if (!tty || opts.quiet === true) return NOOP_PROGRESS
    const multi = progressBars()
    const started = Date.now()
    let bar: SingleBar | undefined = multi.create(0, 0, { label, rate: '0' })
    return {
      update (items, total) {
        const secs = (Date.now() - started) / 1000
        const rate = secs > 0 ? Math.round(items / secs).toString() : '0'
        if (total !== undefined && total > 0) bar?.setTotal(Math.max(total, items))
        bar?.update(items, { label, rate })
      },
      stop () {
        if (bar !== undefined) bar.stop()
        bar = undefined
      }
    }
  }
  const progressBars = (): MultiBar => {
    bars ??= new MultiBar({
      stream: stderr as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: false,
      format: (_o, params, payload: { label: string, rate: string }) => {
        const known = params.total > 0
        const bar = known ? `[${'='.repeat(Math.round(params.progress * 30)).padEnd(30, '-')}] ` : ''
        const counts = known ? `${params.value}/${params.total}` : `${params.value}`
        const eta = known && Number.isFinite(params.eta) ? ` | ETA ${params.eta}s` : ''
        return `${payload.label} ${bar}${counts} items | ${payload.rate}/s${eta}`
      }
    })
    return bars
  }
  const status = (): { set: (text: string) => void, stop: () => void } => {
    if (!tty || opts.quiet === true) return { set: () => {}, stop: () => {} }
    const line = progressBars().create(0, 0, { text: '' }, { format: (_o: unknown, _p: unknown, payload: { text: string }) => payload.text })
    return { set: (text) => { line.update(0, { text }) }, stop: () => { line.stop() } }
  }
  return {
    log,
    progress,
    status,
    close () {
      bars?.stop()
      bars = undefined
    }
  }
}
