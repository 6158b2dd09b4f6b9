import type { EventEmitter } from 'node:events'
import { noMetrics, type Metrics, type MetricsApi } from './index.js'
import { stallStep, type StallSample, type StallState } from './stall.js'

export interface StallWatchOptions {
  /** 'source', 'change stream', 'destination', with its table. */
  component: string
  /** Milliseconds without movement while work is pending; 0 disables. */
  timeoutMs: number
  sample: () => StallSample
  /** Words explaining the wait, added to the message (e.g. the maxUnacked limit). */
  note?: (sample: StallSample) => string | undefined
  /** Injected clock (tests). */
  now?: () => number
}

/**
 * Samples a stream every timeout/5 (≤ 1 s) and emits 'stall' / 'recovered' on it; with no 'stall' listener
 * the report becomes a process warning, so a stall is never silent. Stops when the stream closes.
 */
export function watchStalls (stream: EventEmitter, o: StallWatchOptions): { stop: () => void } {
  if (o.timeoutMs <= 0) return { stop: () => {} }
  const now = o.now ?? Date.now
  let state: StallState | undefined
  const tick = (): void => {
    const sample = o.sample()
    const step = stallStep(state, sample, now(), o.timeoutMs, o.component, o.note?.(sample))
    state = step.state
    if (step.stall !== undefined) {
      if (stream.listenerCount('stall') > 0) stream.emit('stall', step.stall)
      else process.emitWarning(step.stall.message, { type: 'OpenCDCWarning', code: 'ERR_DDB_STALLED' })
    }
    if (step.recovered !== undefined) {
      if (stream.listenerCount('recovered') > 0) stream.emit('recovered', step.recovered)
      else if (stream.listenerCount('stall') === 0) process.emitWarning(step.recovered.message, { type: 'OpenCDCWarning' })
    }
  }
  const timer = setInterval(tick, Math.max(10, Math.min(1000, o.timeoutMs / 5)))
  timer.unref()
  const stop = (): void => { clearInterval(timer) }
  stream.once('close', stop)
  return { stop }
}

/** Metrics hooks that also count what the stall detector needs (pages read, requests in flight), then forward. */
export function countingMetrics (inner: Metrics = noMetrics, onRead?: (phase: 'snapshot' | 'cdc', n: number) => void): { metrics: Metrics, inFlight: (api?: MetricsApi) => number } {
  const flying = new Map<MetricsApi, number>()
  const metrics: Metrics = {
    ...inner,
    read: (table, phase, n) => { onRead?.(phase, n); inner.read(table, phase, n) },
    inFlight: (api, delta) => { flying.set(api, (flying.get(api) ?? 0) + delta); inner.inFlight(api, delta) }
  }
  const inFlight = (api?: MetricsApi): number => api !== undefined ? flying.get(api) ?? 0 : [...flying.values()].reduce((a, b) => a + b, 0)
  return { metrics, inFlight }
}
