import t from 'tap'
import { unixNanos } from '../../../src/model/record.js'

t.test('unixNanos is the millisecond time × 10^6 as an exact decimal string', async (t) => {
  for (const ms of [0, -0, 0.9, -0.9, 1, -1, 1700000000123, 1700000000123.987, -1700000000123, 999_999_999_999_999, 1e15, 8.64e15]) {
    t.equal(unixNanos(ms), (BigInt(Math.trunc(ms)) * 1_000_000n).toString(), String(ms))
  }
  t.match(unixNanos(), /^1\d{18}$/, 'now: 19 digits')
})
