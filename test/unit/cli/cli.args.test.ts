import t from 'tap'
import { connectionSettings, isUsageError, mergeFlag, parseCommandArgs, parseCount, parseDurationFlag, parseRate, parseSettings, parseSize, takeSetting } from '../../../src/cli/support/args.js'
import { OpenCDCError } from '../../../src/errors/index.js'
import { usage } from '../../helpers/usage.js'

t.test('-s pairs become settings verbatim; the value may contain "="', async (t) => {
  t.same(parseSettings('read', ['sdk.batch.size=100', 'sdk.record.format.options=a=1,b=2', 'aws.url=']), { 'sdk.batch.size': '100', 'sdk.record.format.options': 'a=1,b=2', 'aws.url': '' })
  t.same(parseSettings('read', ['a=1', 'a=2']), { a: '2' }, 'the last of a repeated key wins')
  t.same(parseSettings('read', undefined), {})
})

t.test('a -s without a key or "=" is a usage error naming it and the command help', async (t) => {
  t.match(usage(() => parseSettings('write', ['=x'])), /-s expects key=value .* got "=x"\nRun "dynamodb-opencdc write --help"/)
  t.match(usage(() => parseSettings('write', ['novalue'])), /got "novalue"/)
})

t.test('a flag and a setting for the same option conflict, under either name', async (t) => {
  const settings: Record<string, unknown> = { 'sdk.rate.perSecond': '10' }
  t.match(usage(() => mergeFlag('write', settings, 'sdk.rate.perSecond', ['ratePerSecond'], 5, '--rate')), /--rate and -s sdk.rate.perSecond=… set the same option/)
  const camel: Record<string, unknown> = { ratePerSecond: '10' }
  t.match(usage(() => mergeFlag('write', camel, 'sdk.rate.perSecond', ['ratePerSecond'], 5, '--rate')), /-s ratePerSecond=…/)
  const empty: Record<string, unknown> = {}
  mergeFlag('write', empty, 'sdk.rate.perSecond', ['ratePerSecond'], undefined, '--rate')
  t.same(empty, {}, 'an absent flag adds nothing')
})

t.test('the endpoint comes from --endpoint, then aws.url, then DYNAMODB_ENDPOINT', async (t) => {
  const env = { DYNAMODB_ENDPOINT: 'http://env:1' }
  t.same(connectionSettings('read', { endpoint: 'http://flag:1' }, env), { endpoint: 'http://flag:1' })
  t.same(connectionSettings('read', { setting: ['aws.url=http://setting:1'] }, env), { 'aws.url': 'http://setting:1' })
  t.same(connectionSettings('read', {}, env), { endpoint: 'http://env:1' })
  t.same(connectionSettings('read', { setting: ['aws.url='] }, env), { endpoint: 'http://env:1' }, 'an empty aws.url counts as unset, as in Conduit')
  t.same(connectionSettings('read', { region: 'eu-west-1' }, {}), { region: 'eu-west-1' })
  t.match(usage(() => connectionSettings('read', { region: 'a', setting: ['aws.region=b'] }, {})), /--region and -s aws.region=…/)
})

t.test('numbers, rates and durations are checked with the flag in the message', async (t) => {
  t.equal(parseCount('read', '--max-records', '25'), 25)
  t.equal(parseCount('local', '--port', '0', 0), 0)
  t.equal(parseCount('read', '--max-records', undefined), undefined)
  t.match(usage(() => parseCount('read', '--max-records', '0')), /--max-records expects a whole number ≥ 1, got "0"/)
  t.match(usage(() => parseCount('read', '--max-records', '1.5')), /got "1.5"/)
  t.equal(parseRate('write', '--rate', '0.5'), 0.5)
  t.match(usage(() => parseRate('write', '--rate', '0')), /--rate expects a positive number/)
  t.match(usage(() => parseRate('write', '--rate', '')), /--rate expects a positive number/)
  t.equal(parseDurationFlag('read', '--idle-exit', '1m30s'), 90_000)
  t.match(usage(() => parseDurationFlag('read', '--idle-exit', '-1s')), /--idle-exit expects a duration/)
})

t.test('parseArgs errors become usage errors naming the command', async (t) => {
  t.match(usage(() => parseCommandArgs('copy', ['--nope'], {})), /Unknown option '--nope'\nRun "dynamodb-opencdc copy --help"/)
  t.match(usage(() => parseCommandArgs('copy', ['extra'], {})), /Unexpected argument 'extra'/)
  t.same(parseCommandArgs('run', ['-q', 'p.yaml'], {}, true), { values: { quiet: true }, positionals: ['p.yaml'] })
})

t.test('option errors of the library count as usage errors; runtime errors do not', async (t) => {
  t.ok(isUsageError(new OpenCDCError('ERR_DDB_UNKNOWN_OPTION', 'x')))
  t.ok(isUsageError(new OpenCDCError('ERR_DDB_INVALID_OPTION', 'x')))
  t.ok(isUsageError(new OpenCDCError('ERR_DDB_PIPELINE_CONFIG', 'x')))
  t.notOk(isUsageError(new OpenCDCError('ERR_DDB_WRITE_FAILED', 'x')))
  t.notOk(isUsageError(new Error('x')))
})

t.test('takeSetting removes a setting given under either name', async (t) => {
  const s: Record<string, unknown> = { recordFormat: 'debezium/json', table: 't' }
  t.equal(takeSetting(s, 'sdk.record.format', 'recordFormat'), 'debezium/json')
  t.same(s, { table: 't' })
})

t.test('parseSize reads bytes with an optional KiB/MiB/GiB suffix and refuses anything else', async (t) => {
  t.equal(parseSize('read', '--ack-lag', '4194304'), 4194304)
  t.equal(parseSize('read', '--ack-lag', '512KiB'), 512 * 1024)
  t.equal(parseSize('read', '--ack-lag', '4MiB'), 4 * 1024 * 1024)
  t.equal(parseSize('read', '--ack-lag', '1g'), 1024 ** 3)
  t.equal(parseSize('read', '--ack-lag', '0'), 0)
  t.equal(parseSize('read', '--ack-lag', undefined), undefined)
  for (const bad of ['', '-1', '1.5MiB', '4 megs', 'MiB']) {
    t.throws(() => parseSize('read', '--ack-lag', bad), { code: 'ERR_DDB_USAGE', message: /--ack-lag expects a byte count/ }, JSON.stringify(bad))
  }
})
