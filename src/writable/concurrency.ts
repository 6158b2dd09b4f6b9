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
  /** Wait before probing again after a probe that did not pay off; doubles up to maxCooldownMs. */
  cooldownMs?: number
  maxCooldownMs?: number
}

interface Window { items: number, latency: number, inFlight: number, count: number }

const GAIN = 1.1
const COLLAPSE = 0.5
const COLLAPSE_COOLDOWN_FACTOR = 15

/**
 * AIMD on requests in flight: start at one, add one while throughput (Little's law: in flight × items ÷
 * latency) rises by ≥ 10 %, go back when a step gives no gain, halve on throttling or when throughput
 * collapses (DynamoDB Local under concurrent writes to a stream-enabled table).
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

  constructor (opts: ConcurrencyOptions) {
    this.#max = Math.max(1, Math.floor(opts.max))
    this.#adaptive = opts.adaptive
    this.#limit = opts.adaptive ? Math.min(this.#max, Math.max(1, Math.floor(opts.initial ?? 1))) : this.#max
    this.#initialCooldown = this.#cooldown = opts.cooldownMs ?? 2_000
    this.#maxCooldown = opts.maxCooldownMs ?? 300_000
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
    if (s.throttled) {
      this.#backOff(s.now, Math.max(1, Math.floor(this.#limit / 2)))
      return
    }
    if (s.startedAt < this.#windowStart) return
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
    if (w.count < Math.max(6, 3 * this.#limit)) return
    if (this.#probing && base !== undefined) {
      if (tput >= base.tput * GAIN) {
        this.#cooldown = this.#initialCooldown
        this.#baseline = { limit: this.#limit, tput }
        this.#probing = this.#limit < this.#max
        this.#change(s.now, Math.min(this.#max, this.#limit + 1), this.#probing)
      } else {
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
    if (collapsed) {
      this.#change(s.now, this.#limit, false)
      return
    }
    this.#baseline = { limit: this.#limit, tput }
    if (this.#limit < this.#max && s.now >= this.#nextProbeAt) {
      this.#probing = true
      this.#change(s.now, this.#limit + 1, true)
    } else {
      this.#change(s.now, this.#limit, false)
    }
  }

  #backOff (now: number, limit: number): void {
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
