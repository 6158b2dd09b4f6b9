import t from 'tap'
import { resolveSourceOptions } from '../../../src/readable/options.js'
import { MemoryCheckpointStore } from '../../../src/checkpoint/stores.js'

t.test('seed settings are accepted verbatim with string values and Go durations', async (t) => {
  const o = resolveSourceOptions({ table: 'orders', 'aws.region': 'eu-west-1', 'aws.url': 'http://localhost:8000', skipSnapshot: 'false', 'snapshot.segments': '8', 'snapshot.limit': '250', 'snapshot.consistentRead': 'true', 'snapshot.rate.items': '500', 'checkpoint.interval': '2s', 'checkpoint.file': '/tmp/x.json', discoveryPollingPeriod: '5s' })
  t.match(o, { table: 'orders', region: 'eu-west-1', endpoint: 'http://localhost:8000', skipSnapshot: false, snapshotSegments: 8, snapshotPageSize: 250, consistentRead: true, readRatePerSecond: 500, checkpointInterval: 2_000, checkpoint: '/tmp/x.json', discoveryPollingPeriod: 5_000 })
})

t.test('typed camelCase options work, and defaults fill the rest', async (t) => {
  const o = resolveSourceOptions({ table: 'orders', snapshotSegments: 2, snapshotOnly: true })
  t.match(o, { snapshotSegments: 2, snapshotOnly: true, snapshotConcurrency: 4, consistentRead: false, readRatePerSecond: 0, readCapacityPerSecond: 0, snapshotRetries: 10, checkpointInterval: 1_000, maxUnacked: 50_000, skipSnapshot: false })
  t.equal(o.snapshotPageSize, undefined, 'no Limit by default')
  t.equal(o.highWaterMark, undefined, 'the buffer size is chosen from the table')
})

t.test('the caller object is not changed', async (t) => {
  const input = { table: 'orders', 'snapshot.segments': '3' }
  resolveSourceOptions(input)
  t.same(input, { table: 'orders', 'snapshot.segments': '3' })
})

t.test('bad values, unknown keys and conflicts fail naming the option', async (t) => {
  t.throws(() => resolveSourceOptions({}), { code: 'ERR_DDB_MISSING_OPTION', message: /"table"/ })
  t.throws(() => resolveSourceOptions({ table: 'x', 'snapshot.segments': '0' }), { code: 'ERR_DDB_INVALID_OPTION', message: /snapshot.segments: expected an integer from 1 to 1000000, got "0"/ })
  t.throws(() => resolveSourceOptions({ table: 'x', snapshotConcurrency: 2.5 }), { code: 'ERR_DDB_INVALID_OPTION', message: /snapshotConcurrency/ })
  t.throws(() => resolveSourceOptions({ table: 'x', 'snapshot.segmnts': '2' }), { code: 'ERR_DDB_UNKNOWN_OPTION', message: /did you mean "snapshot.segments"/ })
  t.throws(() => resolveSourceOptions({ table: 'x', snapshotSegments: 2, 'snapshot.segments': '2' }), { message: /set the same option/ })
  t.throws(() => resolveSourceOptions({ table: 'x', checkpoint: 'a.json', checkpointStore: new MemoryCheckpointStore() }), { code: 'ERR_DDB_INVALID_OPTION', message: /either "checkpoint" \(a file\) or "checkpointStore"/ })
  t.throws(() => resolveSourceOptions({ table: 'x', checkpointStore: { load: 1 } as never }), { message: /checkpointStore must have load\(\) and save\(\)/ })
  t.throws(() => resolveSourceOptions({ table: 'x', skipSnapshot: true, snapshotOnly: true }), { message: /skipSnapshot and snapshotOnly together would read nothing/ })
  t.throws(() => resolveSourceOptions({ table: 'x', 'checkpoint.interval': 'soon' }), { message: /checkpoint.interval: expected a duration/ })
})
