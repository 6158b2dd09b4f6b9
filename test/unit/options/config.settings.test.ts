import t from 'tap'
import { resolveOptions, type OptionSpec } from '../../../src/options/options.js'
import { AWS_SPECS, CONDUIT_SOURCE_SPECS, CONDUIT_DESTINATION_SPECS } from '../../../src/options/settings.js'
import { isOpenCDCError } from '../../../src/errors/index.js'

const SOURCE = [...AWS_SPECS, ...CONDUIT_SOURCE_SPECS]
const DEST = [...AWS_SPECS, ...CONDUIT_DESTINATION_SPECS]

function thrown (fn: () => unknown): { code?: string, message: string } {
  try { fn() } catch (err) { return isOpenCDCError(err) ? { code: err.code, message: err.message } : { message: String(err) } }
  throw new Error('expected a throw')
}

// Every setting of the seed README's source and destination blocks, with the README's default.
const SEED_SOURCE_DEFAULTS: Record<string, string> = {
  'aws.region': '', table: '', 'aws.accessKeyId': '', 'aws.secretAccessKey': '', 'aws.sessionToken': '', 'aws.url': '',
  discoveryPollingPeriod: '10s', recordsPollingPeriod: '1s', skipSnapshot: 'false', 'sdk.batch.delay': '0', 'sdk.batch.size': '0',
  'sdk.schema.context.enabled': 'true', 'sdk.schema.context.name': '', 'sdk.schema.extract.key.enabled': 'true',
  'sdk.schema.extract.key.subject': 'key', 'sdk.schema.extract.payload.enabled': 'true', 'sdk.schema.extract.payload.subject': 'payload',
  'sdk.schema.extract.type': 'avro'
}
const SEED_DEST_DEFAULTS: Record<string, string> = {
  'aws.region': '', table: '', 'aws.accessKeyId': '', 'aws.secretAccessKey': '', 'aws.sessionToken': '', 'aws.url': '',
  'sdk.batch.delay': '0', 'sdk.batch.size': '0', 'sdk.rate.burst': '0', 'sdk.rate.perSecond': '0', 'sdk.record.format': 'opencdc/json',
  'sdk.record.format.options': '', 'sdk.schema.extract.key.enabled': 'true', 'sdk.schema.extract.payload.enabled': 'true'
}

t.test('accepts every seed source setting verbatim with its README default', async (t) => {
  const opts = resolveOptions<Record<string, unknown>>(SOURCE, { ...SEED_SOURCE_DEFAULTS, table: 'orders', 'aws.region': 'eu-west-1' }, 'source')
  t.same(opts, {
    table: 'orders', region: 'eu-west-1', maxSockets: 64, maxAttempts: 3, discoveryPollingPeriod: 10_000, recordsPollingPeriod: 1000,
    skipSnapshot: false, batchSize: 0, batchDelay: 0, recordFormat: 'opencdc/json', recordFormatOptions: '',
    schemaContextEnabled: true, schemaContextName: '', schemaKeyEnabled: true, schemaKeySubject: 'key',
    schemaPayloadEnabled: true, schemaPayloadSubject: 'payload', schemaType: 'avro'
  })
})

t.test('accepts every seed destination setting verbatim with its README default', async (t) => {
  const opts = resolveOptions<Record<string, unknown>>(DEST, { ...SEED_DEST_DEFAULTS, table: 'orders' }, 'destination')
  t.same(opts, {
    table: 'orders', maxSockets: 64, maxAttempts: 3, batchSize: 0, batchDelay: 0, rateBurst: 0, ratePerSecond: 0,
    recordFormat: 'opencdc/json', recordFormatOptions: '', schemaKeyEnabled: true, schemaPayloadEnabled: true
  })
})

t.test('string settings are coerced: Go durations, booleans, integers, floats', async (t) => {
  const s = resolveOptions<Record<string, unknown>>(SOURCE, { table: 't', discoveryPollingPeriod: '1m30s', recordsPollingPeriod: '250ms', skipSnapshot: 'true', 'sdk.batch.size': '100', 'sdk.batch.delay': '2s' }, 'source')
  t.equal(s.discoveryPollingPeriod, 90_000)
  t.equal(s.recordsPollingPeriod, 250)
  t.equal(s.skipSnapshot, true)
  t.equal(s.batchSize, 100)
  t.equal(s.batchDelay, 2000)
  const d = resolveOptions<Record<string, unknown>>(DEST, { table: 't', 'sdk.rate.perSecond': '12.5', 'sdk.rate.burst': '30' }, 'destination')
  t.equal(d.ratePerSecond, 12.5)
  t.equal(d.rateBurst, 30)
})

t.test('typed camelCase options are accepted as well', async (t) => {
  const s = resolveOptions<Record<string, unknown>>(SOURCE, { table: 't', skipSnapshot: true, recordsPollingPeriod: 300, endpoint: 'http://localhost:8000' }, 'source')
  t.equal(s.skipSnapshot, true)
  t.equal(s.recordsPollingPeriod, 300)
  t.equal(s.endpoint, 'http://localhost:8000')
})

t.test('the caller\'s object is not mutated and a fresh object is returned', async (t) => {
  const input = Object.freeze({ table: 't', skipSnapshot: 'true' })
  const out = resolveOptions<Record<string, unknown>>(SOURCE, input, 'source')
  t.not(out, input)
  t.same(input, { table: 't', skipSnapshot: 'true' })
})

t.test('bad values name the setting and the expected form', async (t) => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ table: 't', discoveryPollingPeriod: '10' }, /discoveryPollingPeriod: expected a duration like "10s"/],
    [{ table: 't', recordsPollingPeriod: '0s' }, /recordsPollingPeriod: expected a duration from 1ms/],
    [{ table: 't', skipSnapshot: 'yes' }, /skipSnapshot: expected a boolean/],
    [{ table: 't', 'sdk.batch.size': '2.5' }, /sdk\.batch\.size: expected an integer ≥ 0, got "2\.5"/],
    [{ table: 't', 'sdk.batch.size': '-1' }, /sdk\.batch\.size: expected an integer ≥ 0/],
    [{ table: 't', 'sdk.schema.extract.type': 'protobuf' }, /sdk\.schema\.extract\.type: expected one of avro/]
  ]
  for (const [input, message] of cases) {
    const err = thrown(() => resolveOptions(SOURCE, input, 'source'))
    t.equal(err.code, 'ERR_DDB_INVALID_OPTION', String(message))
    t.match(err.message, message)
  }
})

t.test('unknown keys are rejected with a suggestion', async (t) => {
  const err = thrown(() => resolveOptions(SOURCE, { table: 't', 'aws.regoin': 'x' }, 'source'))
  t.equal(err.code, 'ERR_DDB_UNKNOWN_OPTION')
  t.match(err.message, /source: unknown option "aws\.regoin" \(did you mean "aws\.region"\?\)/)
  const far = thrown(() => resolveOptions(DEST, { table: 't', zzzzzzzzzzzz: 1 }, 'destination'))
  t.match(far.message, /unknown option "zzzzzzzzzzzz"$/)
  const wrongSide = thrown(() => resolveOptions(SOURCE, { table: 't', 'sdk.rate.perSecond': '5' }, 'source'))
  t.equal(wrongSide.code, 'ERR_DDB_UNKNOWN_OPTION', 'destination-only settings are unknown to the source')
})

t.test('a missing required setting is named in both spellings', async (t) => {
  const err = thrown(() => resolveOptions(SOURCE, {}, 'source'))
  t.equal(err.code, 'ERR_DDB_MISSING_OPTION')
  t.match(err.message, /"table" \(or "table"\)|option "table"/)
})

t.test('the same option given twice (setting and camelCase) is an error', async (t) => {
  const err = thrown(() => resolveOptions(SOURCE, { table: 't', 'aws.url': 'http://a', endpoint: 'http://b' }, 'source'))
  t.match(err.message, /"endpoint" and "aws\.url" set the same option/)
})

t.test('secret values are never echoed in errors', async (t) => {
  const spec: OptionSpec[] = [{ name: 'secretAccessKey', setting: 'aws.secretAccessKey', kind: 'string', secret: true, doc: '' }]
  const err = thrown(() => resolveOptions(spec, { 'aws.secretAccessKey': 12345 }, 'source'))
  t.notMatch(err.message, /12345/)
  t.match(err.message, /<redacted>/)
})
