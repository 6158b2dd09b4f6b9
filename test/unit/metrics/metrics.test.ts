import t from 'tap'
import { Registry } from 'prom-client'
import { OpenCDCError } from '../../../src/errors/index.js'
import { isThrottle, METRIC_NAMES, metricsFor, noMetrics } from '../../../src/metrics/index.js'
import { parseListen } from '../../../src/cli/support/metrics-server.js'

t.test('every metric follows the Prometheus naming conventions', async (t) => {
  const registry = new Registry()
  metricsFor(registry)
  const registered = (await registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: String(m.type) }))
  t.same(registered.map((m) => m.name).sort(), Object.values(METRIC_NAMES).sort(), 'exactly the catalogued names are registered')
  for (const { name, type } of registered) {
    t.match(name, /^dynamodb_opencdc_[a-z_]+$/, `${name}: prefixed, snake case`)
    if (type === 'counter') t.match(name, /_total$/, `${name}: a counter ends in _total`)
    else t.notMatch(name, /_total$/, `${name}: only counters end in _total`)
    if (/lag|age/.test(name)) t.match(name, /_seconds$/, `${name}: a duration is in seconds`)
  }
})

t.test('one Metrics per registry: a source and a destination share the series', async (t) => {
  const registry = new Registry()
  t.equal(metricsFor(registry), metricsFor(registry))
  metricsFor(registry).read('a', 'snapshot', 3)
  metricsFor(registry).read('a', 'snapshot', 2)
  metricsFor(registry).retried('Scan', Object.assign(new Error('x'), { name: 'ProvisionedThroughputExceededException' }))
  metricsFor(registry).retried('Scan', Object.assign(new Error('x'), { name: 'InternalServerError' }))
  const text = await registry.metrics()
  t.match(text, /^dynamodb_opencdc_records_read_total\{table="a",phase="snapshot"\} 5$/m)
  t.match(text, /^dynamodb_opencdc_retries_total\{api="Scan"\} 2$/m)
  t.match(text, /^dynamodb_opencdc_throttles_total\{api="Scan"\} 1$/m, 'only the throttling retry counts as a throttle')
})

t.test('checkpoint age is computed at scrape time from the last save', async (t) => {
  const registry = new Registry()
  metricsFor(registry).checkpointSaved('c.json')
  t.match(await registry.metrics(), /^dynamodb_opencdc_checkpoint_age_seconds\{checkpoint="c.json"\} \d/m)
})

t.test('without a registry nothing is loaded and every hook is the one no-op', async (t) => {
  t.equal(metricsFor(undefined), noMetrics)
  t.equal(new Set(Object.values(noMetrics)).size, 1)
})

t.test('throttles: AWS throttling names and unprocessed items', async (t) => {
  t.ok(isThrottle({ name: 'ThrottlingException' }))
  t.ok(isThrottle(new OpenCDCError('ERR_DDB_UNPROCESSED', 'x')))
  t.notOk(isThrottle({ name: 'ValidationException' }))
  t.notOk(isThrottle(undefined))
})

t.test('--metrics [host:]port', async (t) => {
  t.same(parseListen('copy', '9464'), { host: '127.0.0.1', port: 9464 })
  t.same(parseListen('copy', '0.0.0.0:9464'), { host: '0.0.0.0', port: 9464 })
  t.same(parseListen('copy', '[::1]:0'), { host: '::1', port: 0 })
  t.throws(() => parseListen('copy', 'localhost:'), { code: 'ERR_DDB_USAGE' })
  t.throws(() => parseListen('copy', '70000'), { code: 'ERR_DDB_USAGE' })
  t.throws(() => parseListen('copy', ':80'), { code: 'ERR_DDB_USAGE' })
})
