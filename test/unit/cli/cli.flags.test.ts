import t from 'tap'
import { parseCommandArgs } from '../../../src/cli/support/args.js'
import { usage } from '../../helpers/usage.js'
import { applyFlags, flagHelp, flagOptions, FLAGS, type Flag } from '../../../src/cli/support/flags.js'
import { FILTER_FLAGS } from '../../../src/cli/support/filter-flags.js'
import { ALL_DESTINATION_SPECS } from '../../../src/writable/options.js'
import { SOURCE_SPECS } from '../../../src/readable/options.js'
import { readCommand } from '../../../src/cli/commands/read.js'
import { writeCommand } from '../../../src/cli/commands/write.js'
import { copyCommand } from '../../../src/cli/commands/copy.js'

t.test('a flag sets its option by the camelCase name, its value parsed as the flag says', async (t) => {
  const settings: Record<string, unknown> = {}
  applyFlags('write', settings, [FLAGS.rate, FLAGS.batchDelay], { rate: '2.5', 'batch-delay': '100ms' }, ALL_DESTINATION_SPECS)
  t.same(settings, { ratePerSecond: 2.5, batchDelay: 100 })
  t.match(usage(() => applyFlags('write', {}, [FLAGS.rate], { rate: '0' }, ALL_DESTINATION_SPECS)), /--rate expects a positive number, got "0"/)
})

t.test('a flag and a -s for the same option conflict under any of its names, former names included', async (t) => {
  t.match(usage(() => applyFlags('write', { 'sdk.rate.perSecond': '5' }, [FLAGS.rate], { rate: '1' }, ALL_DESTINATION_SPECS)), /--rate and -s sdk.rate.perSecond=… set the same option/)
  t.match(usage(() => applyFlags('write', { ratePerSecond: '5' }, [FLAGS.rate], { rate: '1' }, ALL_DESTINATION_SPECS)), /--rate and -s ratePerSecond=…/)
  const concurrency: Flag = { name: 'concurrency', value: 'N', option: 'concurrency', help: 'x' }
  t.match(usage(() => applyFlags('write', { maxInFlight: '5' }, [concurrency], { concurrency: '1' }, ALL_DESTINATION_SPECS)), /--concurrency and -s maxInFlight=… set the same option/)
  t.match(usage(() => applyFlags('read', { 'snapshot.worker': '0/2' }, [FLAGS.worker], { worker: '1/2' }, SOURCE_SPECS)), /--worker and -s snapshot.worker=…/)
})

t.test('the filter flags fill the source\'s filter options', async (t) => {
  const settings: Record<string, unknown> = {}
  applyFlags('read', settings, FILTER_FLAGS, { filter: '#s = :t', names: ['#s=status'], values: [':t=S:x', ':n=N:5'] }, SOURCE_SPECS)
  t.same(settings, { filter: '#s = :t', expressionAttributeNames: { '#s': 'status' }, expressionAttributeValues: { ':t': { S: 'x' }, ':n': { N: '5' } } })
  t.match(usage(() => applyFlags('read', { 'filter.expression': 'a' }, FILTER_FLAGS, { filter: 'b' }, SOURCE_SPECS)), /--filter and -s filter.expression=…/)
})

t.test('parseArgs options and help lines come from the same list', async (t) => {
  const flags: Flag[] = [{ name: 'a', value: 'N', help: 'one\ntwo' }, { name: 'bee', short: 'b', help: 'switch' }, { name: 'many', value: 'K=V', multiple: true, help: 'm' }]
  t.same(flagOptions(flags), { a: { type: 'string' }, bee: { type: 'boolean', short: 'b' }, many: { type: 'string', multiple: true } })
  t.equal(flagHelp(flags), '  --a N                   one\n                          two\n  -b, --bee               switch\n  --many K=V              m\n')
})

t.test('read, write and copy list each flag once', async (t) => {
  for (const cmd of [readCommand, writeCommand, copyCommand]) {
    const options = /\nOptions:\n([\s\S]*?)\n\n/.exec(cmd.help)?.[1] ?? ''
    const listed = [...options.matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1] as string)
    t.ok(listed.length > 10, `${cmd.name}: its flags are listed`)
    t.equal(new Set(listed).size, listed.length, `${cmd.name}: no flag listed twice`)
  }
})

t.test('an unknown flag gets the package\'s one did-you-mean', async (t) => {
  const options = { 'snapshot-only': { type: 'boolean' }, 'skip-snapshot': { type: 'boolean' } } as const
  t.match(usage(() => parseCommandArgs('read', ['--snapshot-onyl'], options)), /^Unknown option '--snapshot-onyl' \(did you mean "--snapshot-only"\?\)\nRun "dynamodb-opencdc read --help"/)
  t.match(usage(() => parseCommandArgs('read', ['--zzz'], options)), /^Unknown option '--zzz'\nRun/)
})
