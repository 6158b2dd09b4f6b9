import t from 'tap'
import { resolveSourceOptions } from '../../../src/readable/options.js'
import { resolveDestinationOptions } from '../../../src/writable/options.js'
import { resolveChangeStreamOptions } from '../../../src/readable/cdc/settings.js'

// Former option names: each keeps what it meant on its side, warns once per process, and conflicts with its new name.
const warnings: Error[] = []
process.on('warning', (w) => { if ((w as { code?: string }).code === 'DDB_DEP_OPTION') warnings.push(w) })
const tick = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }
const warned = (old: string): string[] => warnings.filter((w) => w.message.includes(`"${old}"`)).map((w) => w.message)

t.test('source retryBudget is the Scan page retry count snapshotRetries', async (t) => {
  const o = resolveSourceOptions({ table: 't', retryBudget: 3 })
  t.equal(o.snapshotRetries, 3)
  t.notOk('retryBudget' in o, 'the resolved options carry only the new name')
  t.throws(() => resolveSourceOptions({ table: 't', retryBudget: '2s' as never }), { code: 'ERR_DDB_INVALID_OPTION', message: /retryBudget: expected an integer from 0 to 100/ }, 'still a count, not a duration')
})

t.test('destination retryBudget is the retry duration retryTimeout', async (t) => {
  t.equal(resolveDestinationOptions({ table: 't', retryBudget: '2s' }).retryTimeout, 2000)
  t.equal(resolveDestinationOptions({ table: 't', retryBudget: 5 }).retryTimeout, 5, 'a number is milliseconds, as before')
})

t.test('maxInFlightRequests is cdcConcurrency, on createChangeStream and on createSource', async (t) => {
  t.equal(resolveChangeStreamOptions({ table: 't', maxInFlightRequests: 3 }).cdcConcurrency, 3)
  t.equal(resolveSourceOptions({ table: 't', maxInFlightRequests: 5 }).cdcConcurrency, 5)
  t.equal(resolveSourceOptions({ table: 't', maxInFlightRequests: 5 }).snapshotConcurrency, 4, 'the Scans keep their own default')
  t.equal(resolveChangeStreamOptions({ table: 't', 'cdc.concurrency': '6' }).cdcConcurrency, 6, 'the new name has a setting like cdc.retries')
})

t.test('destination maxInFlight is concurrency', async (t) => {
  const o = resolveDestinationOptions({ table: 't', maxInFlight: '2' })
  t.equal(o.concurrency, 2)
  t.notOk('maxInFlight' in o)
  t.equal(o.highWaterMark, 1000, 'and feeds the default buffer size like before')
  t.equal(resolveDestinationOptions({ table: 't', maxInFlight: 64 }).highWaterMark, 8 * 25 * 64)
})

t.test('each former name warns exactly once per process, as a DeprecationWarning naming the new name', async (t) => {
  resolveSourceOptions({ table: 't', retryBudget: 1 })
  resolveSourceOptions({ table: 't', retryBudget: 2 })
  resolveDestinationOptions({ table: 't', retryBudget: 10 })
  await tick()
  const source = warned('retryBudget').filter((m) => m.startsWith('DynamoDB source:'))
  const dest = warned('retryBudget').filter((m) => m.startsWith('destination:'))
  t.equal(source.length, 1)
  t.match(source[0], /use "snapshotRetries"/)
  t.equal(dest.length, 1)
  t.match(dest[0], /use "retryTimeout"/)
  for (const [old, now] of [['maxInFlightRequests', 'cdcConcurrency'], ['maxInFlight', 'concurrency']]) {
    const got = warned(old as string)
    t.ok(got.length >= 1 && got.every((m) => m.includes(`use "${now}"`)), `${old} → ${now}`)
    t.equal(new Set(got.map((m) => m.split(':')[0])).size, got.length, `${old}: one warning per side`)
  }
  t.ok(warnings.every((w) => w.name === 'DeprecationWarning'))
})

t.test('the new names do not warn', async (t) => {
  const before = warnings.length
  resolveSourceOptions({ table: 't', snapshotRetries: 1 })
  resolveDestinationOptions({ table: 't', retryTimeout: '1s' })
  await tick()
  t.equal(warnings.length, before)
})

t.test('a former name and its new one together are a usage error naming both', async (t) => {
  t.throws(() => resolveSourceOptions({ table: 't', snapshotRetries: 1, retryBudget: 2 }), { code: 'ERR_DDB_INVALID_OPTION', message: /"retryBudget" and "snapshotRetries" set the same option/ })
  t.throws(() => resolveSourceOptions({ table: 't', 'snapshot.retries': '1', retryBudget: 2 }), { code: 'ERR_DDB_INVALID_OPTION', message: /"retryBudget" and "snapshot.retries"/ })
  t.throws(() => resolveChangeStreamOptions({ table: 't', maxInFlightRequests: 1, cdcConcurrency: 2 }), { code: 'ERR_DDB_INVALID_OPTION', message: /"cdcConcurrency" and "maxInFlightRequests" set the same option/ })
  t.throws(() => resolveDestinationOptions({ table: 't', concurrency: 1, maxInFlight: 2 }), { code: 'ERR_DDB_INVALID_OPTION', message: /"maxInFlight" and "concurrency" set the same option/ })
  t.throws(() => resolveDestinationOptions({ table: 't', retryTimeout: 1, retryBudget: 2 }), { code: 'ERR_DDB_INVALID_OPTION', message: /"retryBudget" and "retryTimeout" set the same option/ })
})

t.test('a typo is never pointed at a former name', async (t) => {
  t.throws(() => resolveDestinationOptions({ table: 't', retryBudgt: 1 } as never), { code: 'ERR_DDB_UNKNOWN_OPTION', message: /^destination: unknown option "retryBudgt"$/ })
  t.throws(() => resolveChangeStreamOptions({ table: 't', retryBudget: 1 } as never), { code: 'ERR_DDB_UNKNOWN_OPTION' }, 'createChangeStream never had it')
})
