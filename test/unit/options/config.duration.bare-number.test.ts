import t from 'tap'
import { readFileSync } from 'node:fs'
import { parseDurationFlag } from '../../../src/cli/support/args.js'
import { durationOption } from '../../../src/options/duration.js'

// Issue 17: `--idle-exit 5` was refused with no word on why, while docs/source.md said "or milliseconds".
t.test('a bare number as duration text is refused with a hint naming both readings', async (t) => {
  t.throws(() => parseDurationFlag('read', '--idle-exit', '5'), { code: 'ERR_DDB_USAGE', message: /--idle-exit expects a duration with a unit, like 10s, 1m30s or 250ms, got "5" \(a number in text needs its unit: 5s or 5ms\?\)/ })
  t.throws(() => durationOption('recordsPollingPeriod', '250'), { code: 'ERR_DDB_INVALID_OPTION', message: /recordsPollingPeriod: .*got "250" \(a number in text needs its unit: 250s or 250ms\?\)/ })
})

t.test('numbers in code are milliseconds, "0" needs no unit, and text with a unit parses', async (t) => {
  t.equal(durationOption('x', 5), 5)
  t.equal(durationOption('x', '0'), 0)
  t.equal(parseDurationFlag('read', '--idle-exit', '0'), 0)
  t.equal(parseDurationFlag('read', '--idle-exit', '5s'), 5000)
  t.equal(parseDurationFlag('read', '--idle-exit', '5ms'), 5)
})

t.test('other bad text gets no number hint', async (t) => {
  let message = ''
  try { parseDurationFlag('read', '--idle-exit', 'soon') } catch (err) { message = (err as Error).message }
  t.match(message, /expects a duration/)
  t.notMatch(message, /needs its unit/)
})

t.test('docs/source.md says what the code does: numbers in code are ms, text needs its unit', async (t) => {
  const doc = readFileSync(new URL('../../../docs/source.md', import.meta.url), 'utf8')
  t.match(doc, /or in code a number of milliseconds \(`2000`\); text needs its\nunit/)
})
