import { isRetryableAwsError, sleep } from './clients.js'

/** How one call is retried: how many times, how long between tries, and within what total time. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `retries + 1` attempts at most). */
  retries: number
  /** First backoff step (ms); full-jitter exponential from there. */
  baseDelay: number
  /** Longest single backoff (ms). */
  maxDelay: number
  /** Most time (ms) one call may spend retrying; the next wait must fit in it. */
  budget: number
  /** Which errors are worth another try (default: throttling, 5xx and connection faults). */
  retryable: (err: unknown) => boolean
  random: () => number
}

/** Retries of a Scan, DescribeTable or stream call (snapshot.retries / cdc.retries) when not configured. */
export const DEFAULT_READ_RETRIES = 10
export const DEFAULT_CDC_RETRIES = 8
/** Reads back off from 100 ms up to 10 s; writes from 50 ms up to 5 s (retryBaseDelay / retryMaxDelay). */
export const READ_BASE_DELAY = 100
export const READ_MAX_DELAY = 10_000
export const WRITE_BASE_DELAY = 50
export const WRITE_MAX_DELAY = 5_000

/** A policy with the read defaults for whatever is not given. */
export function retryPolicy (p: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    retries: p.retries ?? DEFAULT_READ_RETRIES,
    baseDelay: p.baseDelay ?? READ_BASE_DELAY,
    maxDelay: p.maxDelay ?? READ_MAX_DELAY,
    budget: p.budget ?? Infinity,
    retryable: p.retryable ?? isRetryableAwsError,
    random: p.random ?? Math.random
  }
}

/** Full-jitter exponential backoff before retry number `retry` (0-based): a random wait in [0, min(max, base·2^retry)). */
export function retryDelay (policy: RetryPolicy, retry: number): number {
  return Math.floor(policy.random() * Math.min(policy.maxDelay, policy.baseDelay * 2 ** retry))
}

/** Whether retry number `retry` (0-based), waiting `delay` after `elapsed` ms spent, is still within the policy. */
export function withinPolicy (policy: RetryPolicy, retry: number, elapsed: number, delay: number): boolean {
  return retry < policy.retries && elapsed + delay <= policy.budget
}

/** Why a retryable failure was given up on. */
export interface GiveUp { attempts: number, elapsed: number }

export interface RetryHooks {
  /** Called before each wait. */
  onRetry?: (err: unknown, retry: number, delay: number) => void
  /** The error to throw when a retryable failure is given up on (default: the failure itself). */
  exhausted?: (err: unknown, giveUp: GiveUp) => unknown
}

/** Runs `call`, retrying what the policy calls retryable with backoff; the signal cancels the call and every wait. */
export async function retry<T> (policy: RetryPolicy, call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, hooks: RetryHooks = {}): Promise<T> {
  const started = performance.now()
  for (let n = 0; ; n++) {
    try {
      return await call(signal)
    } catch (err) {
      if (signal.aborted || !policy.retryable(err)) throw err
      const delay = retryDelay(policy, n)
      const elapsed = performance.now() - started
      if (!withinPolicy(policy, n, elapsed, delay)) throw hooks.exhausted !== undefined ? hooks.exhausted(err, { attempts: n + 1, elapsed }) : err
      hooks.onRetry?.(err, n + 1, delay)
      await sleep(delay, signal)
    }
  }
}
