/** One finished request as the concurrency controller sees it. */
export interface RequestSample {
  /** When the request was sent and when it finished (ms, any monotonic clock). */
  startedAt: number
  now: number
  items: number
  /** Requests being sent when this one was sent, itself included. */
  inFlight: number
  /** The service pushed back: a throttling error or UnprocessedItems. */
  throttled: boolean
}

export interface ConcurrencyOptions {
  max: number
  adaptive: boolean
  initial?: number
  /** Wait before probing again after a probe that did not pay off (default 250 ms, one window: a miss on a noisy machine is cheap to retry); doubles up to maxCooldownMs. */
  cooldownMs?: number
  maxCooldownMs?: number
  /** Shortest measuring window, so one slow request (a GC pause) does not decide. */
  windowMs?: number
}

interface Window { items: number, latency: number, inFlight: number, count: number }

const GAIN = 1.05
const COLLAPSE = 0.5
const COLLAPSE_COOLDOWN_FACTOR = 30
const MILD_COOLDOWN_FACTOR = 4
const SLOW_START_WINDOW = 0.4

/**
 * AIMD on requests in flight: start at one, double (slow start) then add one while throughput (Little's
 * law: in flight × items ÷ latency) rises by ≥ 5 %, step back when a step gains less (latency grew without a gain) and retry it
 * within seconds, halve on throttling; a collapse (DynamoDB Local under concurrent writes to a
 * stream-enabled table) steps back and waits far longer before trying again.
 */
export class ConcurrencyController {
  #limit: number
  #max: number
  #adaptive: boolean
  #windowStart = -Infinity
  #win: Window = { items: 0, latency: 0, inFlight: 0, count: 0 }
  #baseline: { limit: number, tput: number } | undefined
  #probing = false
  #nextProbeAt = 0
  #cooldown: number
  #initialCooldown: number
  #maxCooldown: number
  #collapses = 0
  #windowMs: number
  // Until the first step that does not pay off, steps double (1, 2, 4, 8…) so short loads reach their best limit early.
  #slowStart = true

  constructor (opts: ConcurrencyOptions) {
    this.#max = Math.max(1, Math.floor(opts.max))
    this.#adaptive = opts.adaptive
    this.#limit = opts.adaptive ? Math.min(this.#max, Math.max(1, Math.floor(opts.initial ?? 1))) : this.#max
    this.#initialCooldown = this.#cooldown = opts.cooldownMs ?? 250
    this.#maxCooldown = opts.maxCooldownMs ?? 30_000
    this.#windowMs = opts.windowMs ?? 250
  }

  /** Requests allowed in flight now. */
  get limit (): number {
    return this.#limit
  }

  /** Last measured throughput in items per second at the current limit (undefined before a full window). */
  get throughput (): number | undefined {
    return this.#baseline?.limit === this.#limit ? this.#baseline.tput : undefined
  }

  record (s: RequestSample): void {
    if (!this.#adaptive) return
    // Requests sent before the last change say nothing about the current limit (and one congestion event halves once).
    if (s.startedAt < this.#windowStart) return
    if (s.throttled) {
      this.#backOff(s.now, Math.max(1, Math.floor(this.#limit / 2)))
      return
    }
    const w = this.#win
    w.items += s.items
    w.latency += Math.max(1e-3, s.now - s.startedAt)
    w.inFlight += s.inFlight
    w.count++
    const tput = (w.inFlight / w.count) * (w.items / w.latency) * 1000
    const base = this.#baseline
    if (this.#probing && base !== undefined && w.count >= this.#limit && tput < base.tput * COLLAPSE) {
      // A collapse, not noise: wait much longer before trying this again.
      this.#cooldown = Math.max(this.#cooldown, COLLAPSE_COOLDOWN_FACTOR * this.#initialCooldown)
      this.#backOff(s.now, base.limit)
      return
    }
    // Slow start measures shorter windows (a short load would be over before it reached its best limit).
    const windowMs = this.#slowStart ? this.#windowMs * SLOW_START_WINDOW : this.#windowMs
    if (w.count < Math.max(8, 3 * this.#limit) || s.now - this.#windowStart < windowMs) return
    if (this.#probing && base !== undefined) {
      const gain = tput / base.tput
      if (gain >= GAIN) {
        this.#cooldown = this.#initialCooldown
        this.#baseline = { limit: this.#limit, tput }
        this.#change(s.now, this.#next(), this.#limit < this.#max)
      } else {
        // More requests, no more items: latency grew without a gain. Cheap to re-check, so not for long.
        this.#cooldown = Math.min(this.#cooldown, MILD_COOLDOWN_FACTOR * this.#initialCooldown)
        this.#backOff(s.now, base.limit)
      }
      return
    }
    const collapsed = base !== undefined && base.limit === this.#limit && tput < base.tput * COLLAPSE
    this.#collapses = collapsed ? this.#collapses + 1 : 0
    if (this.#collapses >= 2 && this.#limit > 1) {
      this.#collapses = 0
      this.#backOff(s.now, Math.max(1, Math.floor(this.#limit / 2)))
      return
    }
    if (!collapsed) this.#baseline = { limit: this.#limit, tput }
    const probe = !collapsed && this.#limit < this.#max && s.now >= this.#nextProbeAt
    this.#change(s.now, probe ? this.#next() : this.#limit, probe)
  }

  #next (): number {
    return Math.min(this.#max, this.#slowStart ? this.#limit * 2 : this.#limit + 1)
  }

  #backOff (now: number, limit: number): void {
    this.#slowStart = false
    this.#probing = false
    this.#baseline = undefined
    this.#nextProbeAt = now + this.#cooldown
    this.#cooldown = Math.min(this.#maxCooldown, this.#cooldown * 2)
    this.#change(now, limit, false)
  }

  #change (now: number, limit: number, probing: boolean): void {
    this.#limit = limit
    this.#probing = probing
    this.#windowStart = now
    this.#win = { items: 0, latency: 0, inFlight: 0, count: 0 }
  }
}
