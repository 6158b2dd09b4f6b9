import t from 'tap'
import { randomUUID } from 'node:crypto'
import { useDynamo } from '../../helpers/dynamo.js'
import { createUniverseTable, diffItems, putItems, scanAll, universe, type KeyType } from '../../helpers/universe.js'
import { cli } from './cli.spawn.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const KEYS: KeyType[] = ['S', 'N', 'B']

async function three (prefix: string): Promise<Array<{ table: string, items: ReturnType<typeof universe> }>> {
  return await Promise.all(KEYS.map(async (key, i) => {
    const table = await createUniverseTable(ddb, key, { name: `${prefix}${key.toLowerCase()}` })
    const items = universe({ key, count: 30, seed: 1000 + i })
    await putItems(ddb.client, table, items)
    return { table, items }
  }))
}

t.test('copy --tables a,b,c --to-template --create-table copies the three universe tables in one run, each identical', async (t) => {
  const loaded = await three(`ct_${randomUUID().slice(0, 6)}_`)
  const res = await cli(['copy', '--tables', loaded.map((l) => l.table).join(','), '--to-template', '{{collection}}_copy', '--create-table', '--snapshot-only', '--verbose'], { env })
  t.equal(res.code, 0, res.stderr)
  for (const l of loaded) {
    t.match(res.stderr, `created table ${l.table}_copy like ${l.table}`)
    t.match(res.stderr, `snapshot scan of ${l.table} complete: ${l.items.length} items read"`, 'one scan line per table, no "changes follow" with --snapshot-only')
    t.same(diffItems(l.items, await scanAll(ddb.client, `${l.table}_copy`), ['pk']), [], `${l.table}_copy equal to ${l.table}, types included`)
  }
  t.match(res.stderr, `copied ${loaded.reduce((n, l) => n + l.items.length, 0)} records from 3 tables`)
})

t.test('read --table-prefix prints the records of every table with the prefix, each with its collection', async (t) => {
  const prefix = `rt_${randomUUID().slice(0, 6)}_`
  const loaded = await three(prefix)
  const res = await cli(['read', '--table-prefix', prefix, '--snapshot-only'], { env })
  t.equal(res.code, 0, res.stderr)
  const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { metadata: Record<string, string> })
  for (const l of loaded) t.equal(lines.filter((x) => x.metadata['opencdc.collection'] === l.table).length, l.items.length, `${l.table}: every item, under its collection`)
  t.equal(lines.length, loaded.reduce((n, l) => n + l.items.length, 0), 'nothing else')
})

t.test('many-table usage errors name the conflict', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['read', '--table', 'aaa', '--tables', 'bbb,ccc'], /--table names one table and --tables\/--table-prefix\/--table-regex\/--table-tags many/],
    [['read', '--table', 'aaa', '--table', 'bbb'], /--table takes one table; to read many in one run give --tables aaa,bbb/],
    [['copy', '--tables', 'aaa,bbb', '--to', 'ccc'], /--to names one destination table; with many source tables give --to-template/],
    [['read', '--table-tags', 'env'], /tables.tags: part 1 "env" has no ":"/],
    [['read', '--table-regex', '('], /tables.regex: not a regular expression/]
  ]
  for (const [args, message] of cases) {
    const res = await cli(args, { env })
    t.equal(res.code, 2, args.join(' '))
    t.match(res.stderr, message, args.join(' '))
  }
})

t.test('copy of many tables into the same names on the same endpoint is refused before any Scan', async (t) => {
  const prefix = `same_${randomUUID().slice(0, 6)}_`
  await three(prefix)
  const res = await cli(['copy', '--table-prefix', prefix, '--snapshot-only'], { env })
  t.equal(res.code, 2, res.stderr)
  t.match(res.stderr, new RegExp(`table ${prefix}b would be copied to ${prefix}b on the same endpoint and region`))
  const copy = await cli(['copy', '--table-prefix', prefix, '--to-template', '{{collection}}_copy', '--snapshot-only'], { env })
  t.equal(copy.code, 2, 'a template the prefix still selects is refused too')
  t.match(copy.stderr, /_copy on the same endpoint and region, which the source selects too/)
})
