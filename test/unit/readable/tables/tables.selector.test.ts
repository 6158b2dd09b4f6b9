import t from 'tap'
import { matchesName, matchesTags, parseTagFilter, resolveTableSelector } from '../../../../src/readable/tables/selector.js'

t.test('a tag filter is keys separated by ";", each with values separated by ","', async (t) => {
  t.same(parseTagFilter('env:prod,staging;team:data'), [{ key: 'env', values: ['prod', 'staging'] }, { key: 'team', values: ['data'] }])
  t.same(parseTagFilter(' env : prod , qa '), [{ key: 'env', values: ['prod', 'qa'] }], 'spaces around names are ignored')
  t.same(parseTagFilter('url:http://x'), [{ key: 'url', values: ['http://x'] }], 'only the first ":" separates key and values')
})

t.test('a bad tag filter throws ERR_DDB_INVALID_OPTION naming the part and the rule', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty filter/],
    ['env', /part 1 "env" has no ":"/],
    ['env:prod;:x', /part 2 ":x" has an empty tag key/],
    ['env:prod,', /tag key "env" has an empty value/],
    ['env:a;env:b', /tag key "env" appears twice/]
  ]
  for (const [text, message] of cases) {
    t.throws(() => parseTagFilter(text), { code: 'ERR_DDB_INVALID_OPTION', message, details: { option: 'tables.tags', value: text } }, JSON.stringify(text))
  }
})

t.test('tags match with OR within a key and AND across keys', async (t) => {
  const filter = parseTagFilter('env:prod,staging;team:data')
  t.ok(matchesTags(filter, { env: 'prod', team: 'data' }), 'first value of env')
  t.ok(matchesTags(filter, { env: 'staging', team: 'data', other: 'x' }), 'second value of env, extra tags ignored')
  t.notOk(matchesTags(filter, { env: 'prod' }), 'team missing: AND across keys')
  t.notOk(matchesTags(filter, { env: 'dev', team: 'data' }), 'env value not listed')
  t.notOk(matchesTags(filter, { env: 'prod', team: 'Data' }), 'values are case-sensitive')
  t.notOk(matchesTags(parseTagFilter('constructor:x'), {}), 'an inherited property is not a tag')
})

t.test('a list of names is a selector with include', async (t) => {
  const s = resolveTableSelector(['orders', 'users'])
  t.same(s.include, ['orders', 'users'])
  t.ok(matchesName(s, 'orders'))
  t.notOk(matchesName(s, 'orders2'), 'exact names only')
})

t.test('prefix, regex and include combine with AND', async (t) => {
  const s = resolveTableSelector({ prefix: 'app_', regex: '_v[0-9]+$' })
  t.ok(matchesName(s, 'app_orders_v2'))
  t.notOk(matchesName(s, 'app_orders'), 'regex fails')
  t.notOk(matchesName(s, 'web_orders_v2'), 'prefix fails')
  const both = resolveTableSelector({ include: ['app_a', 'app_b'], prefix: 'app_', tags: 'env:prod' })
  t.ok(matchesName(both, 'app_a'))
  t.notOk(matchesName(both, 'app_c'), 'not in the list')
  t.same(both.tags, [{ key: 'env', values: ['prod'] }], 'the tag part is parsed')
})

t.test('a bad selector throws ERR_DDB_INVALID_OPTION naming the field', async (t) => {
  const cases: Array<[unknown, string, RegExp]> = [
    ['orders', 'tables', /a list of table names/],
    [{}, 'tables', /selects every table/],
    [{ include: [] }, 'tables.include', /non-empty list/],
    [['ab'], 'tables.include', /"ab" is not a DynamoDB table name/],
    [['orders', 'orders'], 'tables.include', /listed twice/],
    [{ prefix: '' }, 'tables.prefix', /non-empty string/],
    [{ regex: '(' }, 'tables.regex', /not a regular expression/],
    [{ tags: 'env' }, 'tables.tags', /has no ":"/],
    [{ names: ['a'] }, 'tables', /unknown field "names"/]
  ]
  for (const [input, option, message] of cases) {
    t.throws(() => resolveTableSelector(input), { code: 'ERR_DDB_INVALID_OPTION', message, details: { option } }, JSON.stringify(input))
  }
})
