import { backoffDelay, isRetryableAwsError, sleep } from './aws.js'

/** Runs one AWS call, retrying transient failures with full-jitter backoff at most `budget` times; the signal cancels both. */
export async function withRetry<T> (call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, budget: number, onRetry?: (err: unknown, attempt: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(signal)
    } catch (err) {
      if (signal.aborted || attempt >= budget || !isRetryableAwsError(err)) throw err
      onRetry?.(err, attempt + 1)
      await sleep(backoffDelay(attempt, 100, 10_000), signal)
    }
  }
}
