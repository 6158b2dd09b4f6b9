import t from 'tap'
import { parseGoDuration, formatGoDuration, durationOption } from '../../../src/options/duration.js'
import { isOpenCDCError } from '../../../src/errors/index.js'

t.test('parses Go durations into milliseconds', async (t) => {
  const cases: Array<[string, number]> = [
    ['0', 0], ['10s', 10_000], ['1s', 1000], ['250ms', 250], ['1m30s', 90_000], ['1.5h', 5_400_000],
    ['2h45m', 9_900_000], ['100us', 0.1], ['100µs', 0.1], ['1500ns', 0.0015], ['-1s', -1000], ['.5s', 500]
  ]
  for (const [text, ms] of cases) t.equal(parseGoDuration(text), ms, text)
})

t.test('rejects text that is not a Go duration', async (t) => {
  for (const text of ['', '10', '10 s', 's', '1d', '1m30', 'ten seconds', '1.2.3s']) t.equal(parseGoDuration(text), undefined, JSON.stringify(text))
})

t.test('formats milliseconds back as Go durations', async (t) => {
  t.equal(formatGoDuration(90_000), '1m30s')
  t.equal(formatGoDuration(250), '250ms')
  t.equal(formatGoDuration(0), '0s')
  t.equal(parseGoDuration(formatGoDuration(3_723_456)), 3_723_456)
})

t.test('a bad duration option names the option and the expected form', async (t) => {
  t.equal(durationOption('x', 5), 5)
  t.equal(durationOption('x', '5s'), 5000)
  const err = (() => { try { durationOption('recordsPollingPeriod', '5 sec') } catch (e) { return e } })()
  t.ok(isOpenCDCError(err, 'ERR_DDB_INVALID_OPTION'))
  t.match((err as Error).message, /recordsPollingPeriod: expected a duration like "10s".*"5 sec"/)
})
