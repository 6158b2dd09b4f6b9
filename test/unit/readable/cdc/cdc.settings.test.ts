import t from 'tap'
import { resolveChangeStreamOptions } from '../../../../src/readable/cdc/settings.js'
import { isOpenCDCError } from '../../../../src/errors/index.js'

t.test('applies the defaults: latest, full images required, fail on trimmed, 1 s / 10 s polling', async (t) => {
  const o = resolveChangeStreamOptions({ table: 'orders' })
  t.match(o, { table: 'orders', startFrom: 'latest', requireFullImages: true, onTrimmed: 'fail', enableStream: false, recordsPollingPeriod: 1000, discoveryPollingPeriod: 10_000, maxRecordsPollingPeriod: 10_000, cdcConcurrency: 8, maxBufferedRecords: 10_000 })
})

t.test('accepts the seed setting keys verbatim with Go durations', async (t) => {
  const o = resolveChangeStreamOptions({ table: 'orders', recordsPollingPeriod: '250ms', discoveryPollingPeriod: '1m30s', 'aws.region': 'eu-west-1' })
  t.equal(o.recordsPollingPeriod, 250)
  t.equal(o.discoveryPollingPeriod, 90_000)
  t.equal(o.region, 'eu-west-1')
})

t.test('rejects bad values naming the option and the expected form', async (t) => {
  t.throws(() => resolveChangeStreamOptions({ table: 'x', startFrom: 'earliest' }), { code: 'ERR_DDB_INVALID_OPTION', message: /startFrom: expected one of latest, trim_horizon, got "earliest"/ })
  t.throws(() => resolveChangeStreamOptions({ table: 'x', onTrimmed: 'skip' }), { message: /onTrimmed: expected one of fail, resnapshot/ })
  t.throws(() => resolveChangeStreamOptions({ table: 'x', cdcConcurrency: 0 }), { message: /cdcConcurrency: expected an integer from 1 to 1000/ })
  t.throws(() => resolveChangeStreamOptions({ table: 'x', recordsPollingPeriod: 'soon' }), { message: /recordsPollingPeriod: expected a duration/ })
})

t.test('rejects unknown options with a suggestion, and requires the table', async (t) => {
  let err: unknown
  try { resolveChangeStreamOptions({ table: 'x', startfrom: 'latest' }) } catch (e) { err = e }
  t.ok(isOpenCDCError(err, 'ERR_DDB_UNKNOWN_OPTION'))
  t.match((err as Error).message, /did you mean "startFrom"/)
  t.throws(() => resolveChangeStreamOptions({}), { code: 'ERR_DDB_MISSING_OPTION' })
})

t.test('does not accept snapshot-only seed settings', async (t) => {
  t.throws(() => resolveChangeStreamOptions({ table: 'x', skipSnapshot: 'true' }), { code: 'ERR_DDB_UNKNOWN_OPTION' })
})
