import Bottleneck from 'bottleneck'
import { abortError } from '../errors/index.js'

export interface RatePlan {
  /** Tokens available at start (the burst). */
  reservoir: number
  increaseAmount: number
  increaseInterval: number
  /** How often bottleneck checks its reservoir; an increase lands on the first check after the interval. */
  heartbeat: number
  /** Ceiling of the reservoir; a job heavier than this would wait forever in bottleneck. */
  maximum: number
  /** Heaviest job allowed: the most items one request may carry. */
  maxWeight: number
}

/**
 * Bottleneck settings for `perSecond` items/s with bursts of `burst` items (0: one full batch).
 * Tokens drip every ~50 ms (bottleneck checks every few ms) so the rate is smooth; requests are capped at the burst so no job outweighs the reservoir.
 */
export function planRate (perSecond: number, burst: number, batchSize: number): RatePlan | undefined {
  if (!(perSecond > 0)) return undefined
  const maxWeight = Math.max(1, Math.min(batchSize, burst > 0 ? Math.floor(burst) : batchSize))
  const increaseAmount = Math.max(1, Math.round(perSecond / 20))
  const nominal = (increaseAmount * 1000) / perSecond
  const heartbeat = Math.max(5, Math.min(25, Math.round(nominal / 10)))
  // Bottleneck adds on the first heartbeat after the interval (half a heartbeat late on average): start earlier by that much.
  const increaseInterval = Math.max(1, nominal - heartbeat / 2)
  // Below one request plus one drip the cap would discard tokens and slow the rate.
  const maximum = Math.max(maxWeight + increaseAmount - 1, burst > 0 ? Math.floor(burst) : 0)
  return { reservoir: burst > 0 ? maximum : maxWeight, increaseAmount, increaseInterval, heartbeat, maximum, maxWeight }
}

/** Items-per-second gate over bottleneck; concurrency is capped elsewhere, since a weight also counts against maxConcurrent. */
export class RateLimiter {
  #limiter: Bottleneck | undefined
  readonly maxWeight: number

  constructor (plan: RatePlan | undefined, batchSize: number) {
    this.maxWeight = plan?.maxWeight ?? batchSize
    if (plan === undefined) return
    this.#limiter = new Bottleneck({
      reservoir: plan.reservoir,
      reservoirIncreaseAmount: plan.increaseAmount,
      reservoirIncreaseInterval: plan.increaseInterval,
      reservoirIncreaseMaximum: plan.maximum,
      heartbeatInterval: plan.heartbeat
    } as Bottleneck.ConstructorOptions)
  }

  /** Resolves when `weight` items may be sent; rejects with an AbortError when the signal aborts. */
  async take (weight: number, signal?: AbortSignal): Promise<void> {
    const limiter = this.#limiter
    if (limiter === undefined || weight <= 0) return
    if (weight > this.maxWeight) throw new RangeError(`weight ${weight} is above the largest allowed ${this.maxWeight}`)
    if (signal?.aborted === true) throw abortError(signal.reason)
    let onAbort: (() => void) | undefined
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(abortError(signal?.reason))
      signal?.addEventListener('abort', onAbort, { once: true })
    })
    try {
      await Promise.race([limiter.schedule({ weight }, async () => {}), aborted])
    } finally {
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort)
    }
  }

  async stop (): Promise<void> {
    const limiter = this.#limiter
    this.#limiter = undefined
    if (limiter !== undefined) await limiter.stop({ dropWaitingJobs: true }).catch(() => {})
  }
}
