import t from 'tap'
import type { ScanCommandInput } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { createUniverseTable, diffItems, putItems, scanAll, universe, caseOf, type Item } from '../../helpers/universe.js'
import { compileExpressions } from '../../../src/filter/index.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import { RESERVED_WORDS } from '../../../src/filter/reserved.js'
import { extraItems, FILTERS, PROJECTIONS, REFUSED, type FilterCase } from './filter.corpus.js'

// DynamoDB Local's own Scan is the oracle: the same FilterExpression / ProjectionExpression, names and values.
const ddb = await useDynamo(t)
const table = await createUniverseTable(ddb, 'S')
await putItems(ddb.client, table, [...universe({ key: 'S' }), ...extraItems()])
// The items as a snapshot reads them (top-level numbers normalized by DynamoDB, nested ones as written).
const stored = await scanAll(ddb.client, table)

const scan = async (input: Omit<ScanCommandInput, 'TableName'>): Promise<Item[]> => await scanAll(ddb.client, table, input)

const params = (c: FilterCase): Pick<ScanCommandInput, 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> => ({
  ...(c.names !== undefined ? { ExpressionAttributeNames: c.names } : {}),
  ...(c.values !== undefined ? { ExpressionAttributeValues: c.values } : {})
})

t.test(`compileFilter keeps exactly the items Scan's FilterExpression returns, for ${FILTERS.length} expressions`, async (t) => {
  let matched = 0
  for (const c of FILTERS) {
    const want = await scan({ FilterExpression: c.f, ...params(c) }).catch((err: Error) => { t.fail(`${c.f}: DynamoDB refused it: ${err.message}`); return undefined })
    if (want === undefined) continue
    const { filter } = compileExpressions({ filter: c.f, expressionAttributeNames: c.names, expressionAttributeValues: c.values })
    const got = stored.filter((item) => (filter as (i: Item) => boolean)(item))
    const diffs = diffItems(want, got, 'pk')
    t.same(diffs, [], `${c.f} ${JSON.stringify(c.values ?? {})}: ${want.length} items (${want.slice(0, 4).map(caseOf).join(', ')})`)
    matched += want.length
  }
  t.comment(`${stored.length} items, ${matched} matches in all`)
  t.ok(FILTERS.length >= 40, 'at least 40 expressions')
})

t.test('the corpus is not vacuous: most expressions match some items and miss others', (t) => {
  let selective = 0
  for (const c of FILTERS) {
    const count = compileExpressions({ filter: c.f, expressionAttributeNames: c.names, expressionAttributeValues: c.values }).filter
    const hits = stored.filter((i) => (count as (i: Item) => boolean)(i)).length
    if (hits > 0 && hits < stored.length) selective++
  }
  t.ok(selective >= FILTERS.length * 0.75, `${selective} of ${FILTERS.length} expressions split the items`)
  t.end()
})

t.test('compileProjection returns the same nested parts as Scan\'s ProjectionExpression', async (t) => {
  for (const c of PROJECTIONS) {
    const want = await scan({ ProjectionExpression: c.p, ...(c.names !== undefined ? { ExpressionAttributeNames: c.names } : {}) })
    const { projection } = compileExpressions({ projection: c.p, expressionAttributeNames: c.names })
    const got = stored.map((item) => (projection as (i: Item) => Item)(item))
    t.same(diffItems(want, got, 'pk'), [], c.p)
  }
})

t.test('a filter and a projection in one Scan: same items, same parts', async (t) => {
  const input = { f: 'begins_with(tenant, :t) OR size(l) > :n', p: 'pk, #nm, l[0], doc.#it[0]', names: { '#nm': 'tenant', '#it': 'items' }, values: { ':t': { S: 'tenant#1' }, ':n': { N: '2' } } }
  const want = await scan({ FilterExpression: input.f, ProjectionExpression: input.p, ExpressionAttributeNames: input.names, ExpressionAttributeValues: input.values })
  const { filter, projection } = compileExpressions({ filter: input.f, projection: input.p, expressionAttributeNames: input.names, expressionAttributeValues: input.values })
  const got = stored.filter((i) => (filter as (i: Item) => boolean)(i)).map((i) => (projection as (i: Item) => Item)(i))
  t.ok(want.length > 2, `${want.length} items`)
  t.same(diffItems(want, got, 'pk'), [], 'identical')
})

t.test('inputs DynamoDB refuses are refused by compileExpressions with ERR_DDB_INVALID_EXPRESSION', async (t) => {
  for (const c of REFUSED) {
    const label = `${c.f}${c.projection !== undefined ? ` / ${c.projection}` : ''} ${JSON.stringify(c.values ?? {})} ${JSON.stringify(c.names ?? {})}`
    const aws = await scan({ FilterExpression: c.f, ...(c.projection !== undefined ? { ProjectionExpression: c.projection } : {}), ...params(c) }).then(() => undefined, (err: Error) => err)
    t.equal(aws?.name, 'ValidationException', `DynamoDB refuses ${label}: ${aws?.message ?? ''}`)
    let ours: unknown
    try { compileExpressions({ filter: c.f, projection: c.projection, expressionAttributeNames: c.names, expressionAttributeValues: c.values }) } catch (err) { ours = err }
    t.ok(isOpenCDCError(ours, 'ERR_DDB_INVALID_EXPRESSION'), `we refuse ${label}: ${(ours as Error | undefined)?.message ?? 'accepted'}`)
  }
})

t.test('every word of the reserved list is one DynamoDB refuses as a bare name, and we refuse it too', async (t) => {
  const notRefused: string[] = []
  for (const word of RESERVED_WORDS) {
    const err = await scan({ FilterExpression: `${word} = :v`, ExpressionAttributeValues: { ':v': { S: 'x' } }, Limit: 1 }).then(() => undefined, (e: Error) => e)
    // Grammar keywords (AND, IN, SET, REMOVE …) fail as syntax errors rather than as reserved words: refused all the same.
    if (err?.name !== 'ValidationException') notRefused.push(word)
    else if (!err.message.includes('reserved keyword')) t.comment(`${word}: ${err.message}`)
    t.throws(() => compileExpressions({ filter: `${word.toUpperCase()} = :v`, expressionAttributeValues: { ':v': { S: 'x' } } }), { code: 'ERR_DDB_INVALID_EXPRESSION' }, word)
  }
  t.same(notRefused, [], `${RESERVED_WORDS.size} words checked`)
  for (const name of ['size', 'tenant', 'sk', 'begins_with']) {
    await scan({ FilterExpression: `${name} = :v`, ExpressionAttributeValues: { ':v': { S: 'x' } }, Limit: 1 })
    t.doesNotThrow(() => compileExpressions({ filter: `${name} = :v`, expressionAttributeValues: { ':v': { S: 'x' } } }), `${name} is not reserved`)
  }
})
