import t from 'tap'
import { getEventListeners } from 'node:events'
import { watchHealth } from '../../../src/cli/support/health.js'
import { useDynamo } from '../../helpers/dynamo.js'

const ddb = await useDynamo(t)

t.test('local\'s health poll does not grow the abort listeners of its signal, however long it runs', async (t) => {
  const stop = new AbortController()
  const counts: number[] = []
  let oks = 0
  await watchHealth(ddb.endpoint, stop.signal, {
    everyMs: 1,
    onCheck: (ok) => {
      if (ok) oks++
      counts.push(getEventListeners(stop.signal, 'abort').length)
      if (counts.length === 40) stop.abort()
    }
  })
  t.equal(oks, 40, 'every check reached DynamoDB Local')
  t.ok(Math.max(...counts) <= 1, `at most one abort listener between checks (the sleep's), saw up to ${Math.max(...counts)}`)
  t.equal(getEventListeners(stop.signal, 'abort').length, 0, 'none left once it returned')
})

t.test('the health poll returns after three failed checks in a row', async (t) => {
  const stop = new AbortController()
  let checks = 0
  // Port 9 on loopback (discard) has no listener here: every check fails at once.
  await watchHealth('http://127.0.0.1:9', stop.signal, { everyMs: 1, onCheck: () => { checks++ } })
  t.equal(checks, 3)
  t.equal(stop.signal.aborted, false, 'it returned by itself')
})
