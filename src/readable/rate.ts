/**
 * A token bucket that may go into debt: Scan's cost (items, RCUs) is known only after the call, so the
 * call is paid afterwards and the next one waits until the debt is repaid. (bottleneck needs a job's
 * weight before it runs.)
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

  /** Pays for what a call consumed. */
  spend (amount: number, now: number = Date.now()): void {
    if (this.ratePerSecond <= 0) return
    this.#refill(now)
    this.#tokens -= amount
  }

  /** Milliseconds to wait before the next call may start (0 when not in debt). */
  delay (now: number = Date.now()): number {
    if (this.ratePerSecond <= 0) return 0
    this.#refill(now)
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens * 1000 / this.ratePerSecond)
  }
}
