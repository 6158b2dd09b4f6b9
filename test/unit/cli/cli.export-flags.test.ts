import t from 'tap'
import { checkExportFlags, EXPORT_FLAGS } from '../../../src/cli/support/export-flags.js'
import { applyFlags } from '../../../src/cli/support/flags.js'
import { copyCommand } from '../../../src/cli/commands/copy.js'
import { readCommand } from '../../../src/cli/commands/read.js'
import { resolveSourceOptions, SOURCE_SPECS } from '../../../src/readable/options.js'

function applyExportFlags (command: string, settings: Record<string, unknown>, values: object): void {
  applyFlags(command, settings, EXPORT_FLAGS, values, SOURCE_SPECS)
  checkExportFlags(command, settings, values)
}

t.test('--snapshot-from export --export-bucket B --export-prefix P become the source\'s export settings', async (t) => {
  const settings: Record<string, unknown> = { table: 'orders' }
  applyExportFlags('read', settings, { 'snapshot-from': 'export', 'export-bucket': 'dumps', 'export-prefix': 'exports/orders' })
  t.same(settings, { table: 'orders', snapshotFrom: 'export', exportS3Bucket: 'dumps', exportS3Prefix: 'exports/orders' })
  t.match(resolveSourceOptions(settings), { snapshotFrom: 'export', exportS3Bucket: 'dumps', exportS3Prefix: 'exports/orders' }, 'and resolve as options')
})

t.test('an export flag without --snapshot-from export, or twice through -s, is a usage error', async (t) => {
  t.throws(() => { applyExportFlags('read', { table: 'orders' }, { 'export-bucket': 'dumps' }) }, { code: 'ERR_DDB_USAGE', message: /--export-bucket needs --snapshot-from export/ })
  t.throws(() => { applyExportFlags('copy', { 'snapshot.export.bucket': 'a' }, { 'snapshot-from': 'export', 'export-bucket': 'b' }) }, { code: 'ERR_DDB_USAGE', message: /--export-bucket and -s snapshot.export.bucket=… set the same option/ })
  t.doesNotThrow(() => { applyExportFlags('copy', { 'snapshot.from': 'export' }, { 'export-arn': 'arn:x' }) }, '-s snapshot.from=export counts')
})

t.test('read and copy --help describe the export flags', async (t) => {
  for (const cmd of [readCommand, copyCommand]) {
    for (const flag of ['--snapshot-from', '--export-bucket', '--export-prefix', '--export-arn']) t.match(cmd.help, flag, `${cmd.name} --help: ${flag}`)
  }
})
