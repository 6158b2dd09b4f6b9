import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { setTimeout as sleep } from 'node:timers/promises'
import { createDynamoDBClient } from '../../aws/clients.js'

export interface HealthOptions {
  everyMs?: number
  /** Called after each check (tests count listeners here). */
  onCheck?: (ok: boolean) => void
}

/** An abort signal for one call: aborted by `signal` or after `ms`; `done()` removes every listener and timer it added. */
function callSignal (signal: AbortSignal, ms: number): { signal: AbortSignal, done: () => void } {
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(signal.reason)
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ms} ms`)), ms)
  signal.addEventListener('abort', onAbort, { once: true })
  return { signal: controller.signal, done: () => { clearTimeout(timer); signal.removeEventListener('abort', onAbort) } }
}

/**
 * Resolves when the endpoint stopped answering three checks in a row (the JVM died), or when `signal`
 * aborts. Runs for days: each check removes the listeners it added to `signal` (MaxListenersExceededWarning otherwise).
 */
export async function watchHealth (endpoint: string, signal: AbortSignal, opts: HealthOptions = {}): Promise<void> {
  const client = createDynamoDBClient({ endpoint, maxAttempts: 1 })
  let failures = 0
  try {
    while (!signal.aborted && failures < 3) {
      await sleep(opts.everyMs ?? 2000, undefined, { signal }).catch(() => {})
      if (signal.aborted) return
      const call = callSignal(signal, 5000)
      let ok = true
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: call.signal })
        failures = 0
      } catch {
        ok = false
        failures++
      } finally {
        call.done()
      }
      opts.onCheck?.(ok)
    }
  } finally {
    client.destroy()
  }
}
