/**
 * A token bucket that may go into debt: a Scan's cost (items, RCUs) is known only after the call, so
 * each call reserves an estimate before it starts (waiting while the bucket is in debt) and settles
 * the difference afterwards. (bottleneck needs a job's exact weight before it runs.)
 */
export class DebtBucket {
  readonly ratePerSecond: number
  #tokens: number
  #at: number

  /** ratePerSecond 0 means unlimited. Starts full: one second's worth of tokens. */
  constructor (ratePerSecond: number, now: number = Date.now()) {
    this.ratePerSecond = ratePerSecond
    this.#tokens = ratePerSecond
    this.#at = now
  }

  #refill (now: number): void {
    if (now > this.#at) this.#tokens = Math.min(this.ratePerSecond, this.#tokens + (now - this.#at) * this.ratePerSecond / 1000)
    this.#at = Math.max(this.#at, now)
  }

  /**
   * Reserves `estimate` for a call and returns how many milliseconds it must wait first: the time to
   * repay the debt left by earlier calls. Callers reserving one after another queue up behind each other.
   */
  reserve (estimate: number, now: number = Date.now()): number {
    if (this.ratePerSecond <= 0) return 0
    this.#refill(now)
    const wait = this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens * 1000 / this.ratePerSecond)
    this.#tokens -= estimate
    return wait
  }

  /** Settles a call: charges what it really cost beyond its reservation (or refunds the rest). */
  settle (reserved: number, actual: number, now: number = Date.now()): void {
    if (this.ratePerSecond <= 0) return
    this.#refill(now)
    this.#tokens += reserved - actual
  }
}
