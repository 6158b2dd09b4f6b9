import t from 'tap'
import { parseCommandArgs } from '../../../src/cli/support/args.js'
import { isOpenCDCError } from '../../../src/errors/index.js'

const OPTIONS = { table: { type: 'string' }, from: { type: 'string' }, rate: { type: 'string' }, setting: { type: 'string', short: 's', multiple: true }, quiet2: { type: 'boolean' } } as const

function usage (argv: string[]): string {
  try { parseCommandArgs('read', argv, OPTIONS) } catch (err) {
    if (isOpenCDCError(err, 'ERR_DDB_USAGE')) return err.message
    throw err
  }
  throw new Error('expected a usage error')
}

t.test('a repeated --table is a usage error naming both tables, never last-wins', async (t) => {
  t.match(usage(['--table', 'a', '--table', 'b']), /^--table names several tables \(a, b\): --table takes one table; to read many in one run give --tables a,b/)
  t.match(usage(['--table=a', '--table', 'b']), /several tables/, '--x=v form counts too')
  t.match(usage(['--from', 'a', '--from', 'b']), /--from names several tables/)
})

t.test('a comma list in --table or --from is the same usage error (a table name has no comma)', async (t) => {
  t.match(usage(['--from', 'a,b']), /--from names several tables \(a,b\)/)
})

t.test('another repeated single-value flag is a usage error without echoing values', async (t) => {
  const m = usage(['--rate', 'secret1', '--rate', '5'])
  t.match(m, /--rate was given 2 times; give it once/)
  t.notMatch(m, /secret1/)
})

t.test('repeatable flags and single flags given once still parse', async (t) => {
  const { values } = parseCommandArgs<Record<string, unknown>>('read', ['--table', 'a', '-s', 'x=1', '-s', 'y=2', '--quiet2', '--quiet2'], OPTIONS)
  t.same(values, { table: 'a', setting: ['x=1', 'y=2'], quiet2: true })
})
