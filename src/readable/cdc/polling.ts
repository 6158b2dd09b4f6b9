export interface PollingPolicy {
  /** Wait after an empty page (recordsPollingPeriod). */
  base: number
  /** Longest wait on a long-idle shard (maxRecordsPollingPeriod). */
  max: number
  /** Empty pages in a row before the wait starts to grow. */
  idlePolls: number
}

/**
 * How long a shard reader waits before its next GetRecords: none while pages carry records (drain at full
 * speed), the base period when a page is empty, doubling up to the cap once the shard has been idle long,
 * and never more than the base on a closing shard (its children are waiting for its end).
 */
export function pollDelay (policy: PollingPolicy, emptyPolls: number, closing: boolean): number {
  if (emptyPolls === 0) return 0
  if (closing || emptyPolls <= policy.idlePolls) return policy.base
  const grown = policy.base * 2 ** Math.min(30, emptyPolls - policy.idlePolls)
  return Math.max(policy.base, Math.min(policy.max, grown))
}
