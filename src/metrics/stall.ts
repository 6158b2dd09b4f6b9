/** What a stream has pending at one instant; any non-zero field means "something should move". */
export interface StallWork {
  /** Where the work is: 'snapshot', 'cdc' (a reader) or 'write' (a destination). */
  phase: string
  /** Records waiting for the next step (read but not taken by the consumer; given to a destination and not yet written). */
  waiting: number
  /** Records emitted and not yet acknowledged (only with a checkpoint). */
  unacked: number
  /** AWS requests in flight. */
  inFlight: number
  /** Stream shards whose last page had records (more are expected at once). */
  shards: readonly string[]
  /** Snapshot segments not read to their end. */
  segments: readonly number[]
}

/** One look at a stream: a counter that grows whenever anything moves, and what is pending. */
export interface StallSample {
  moved: number
  work: StallWork
}

/** The 'stall' event's payload: what is stuck, and for how long nothing moved. */
export interface StallReport extends StallWork {
  /** 'source', 'change stream' or 'destination', with its table. */
  component: string
  /** Milliseconds since the last movement (or since work became pending). */
  idleMs: number
  /** Extra words for the message (a limit that explains the wait). */
  note?: string | undefined
  message: string
}

/** The 'recovered' event's payload. */
export interface StallRecovery {
  component: string
  /** How long nothing had moved when it moved again. */
  stalledMs: number
  message: string
}

export interface StallState {
  moved: number
  /** When the last movement was seen, or when work became pending. */
  since: number
  stalled: boolean
}

export interface StallStep {
  state: StallState
  stall?: StallReport
  recovered?: StallRecovery
}

export function hasWork (w: StallWork): boolean {
  return w.waiting > 0 || w.unacked > 0 || w.inFlight > 0 || w.shards.length > 0 || w.segments.length > 0
}

/** Human duration: 950ms, 12s, 5m0s. */
export function formatDuration (ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  const s = Math.floor(ms / 1000)
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`
}

function list (label: string, items: readonly unknown[], max = 5): string {
  const shown = items.slice(0, max).join(', ')
  return `${label} ${shown}${items.length > max ? ` and ${items.length - max} more` : ''}`
}

/** The warning line: which component, which phase, and every kind of pending work. */
export function stallMessage (component: string, w: StallWork, idleMs: number, note?: string): string {
  const parts: string[] = []
  if (w.waiting > 0) parts.push(`${w.waiting} records waiting${w.phase === 'write' ? ' to be written' : ' for the consumer to read them'}`)
  if (w.unacked > 0) parts.push(`${w.unacked} records emitted and not acknowledged`)
  if (w.inFlight > 0) parts.push(`${w.inFlight} ${w.phase === 'write' ? 'writes' : 'requests'} in flight`)
  if (w.segments.length > 0) parts.push(list(w.segments.length === 1 ? 'segment' : 'segments', w.segments) + ' not done')
  if (w.shards.length > 0) parts.push(list(w.shards.length === 1 ? 'shard' : 'shards', w.shards) + ' with more data')
  return `${component} stalled: nothing moved for ${formatDuration(idleMs)} in the ${w.phase} phase; ${parts.join('; ')}${note !== undefined ? ` (${note})` : ''}`
}

/**
 * One step of the stall detector (pure: a function of the counters and the time). A stall is reported once
 * when work is pending and `moved` has not changed for `timeoutMs`; recovery once when it moves again (or
 * nothing is pending any more). An idle stream with nothing pending never stalls. timeoutMs 0 disables.
 */
export function stallStep (prev: StallState | undefined, sample: StallSample, now: number, timeoutMs: number, component: string, note?: string): StallStep {
  const pending = hasWork(sample.work)
  if (prev === undefined) return { state: { moved: sample.moved, since: now, stalled: false } }
  const moved = sample.moved !== prev.moved
  if (moved || !pending) {
    const state = { moved: sample.moved, since: now, stalled: false }
    if (!prev.stalled) return { state }
    const stalledMs = now - prev.since
    return { state, recovered: { component, stalledMs, message: `${component} recovered: ${moved ? 'moving again' : 'nothing pending any more'} after ${formatDuration(stalledMs)}` } }
  }
  const idleMs = now - prev.since
  if (prev.stalled || timeoutMs <= 0 || idleMs < timeoutMs) return { state: prev }
  const stall: StallReport = { component, ...sample.work, idleMs, ...(note !== undefined ? { note } : {}), message: stallMessage(component, sample.work, idleMs, note) }
  return { state: { ...prev, stalled: true }, stall }
}
