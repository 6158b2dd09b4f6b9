import t from 'tap'
import { compileRoute } from '../../../src/writable/route.js'
import { createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { isOpenCDCError } from '../../../src/errors/index.js'

const rec = (collection?: string): OpenCDCRecord => {
  const r = createRecord({ position: 'p1', operation: 'create', key: { id: 'a' }, after: { id: 'a' } })
  return collection === undefined ? r : { ...r, metadata: { ...r.metadata, 'opencdc.collection': collection } }
}
function thrown (fn: () => unknown): Error {
  try { fn() } catch (err) { return err as Error }
  throw new Error('expected a throw')
}

t.test('a plain name routes every record to it and is known up front', async (t) => {
  const r = compileRoute('orders_copy')
  t.equal(r.tableOf(rec('x'), 0), 'orders_copy')
  t.equal(r.single, 'orders_copy')
  t.same(r.known, ['orders_copy'])
})

t.test('a {{collection}} template is filled from opencdc.collection, spaces inside the braces allowed', async (t) => {
  t.equal(compileRoute('{{collection}}_copy').tableOf(rec('orders'), 0), 'orders_copy')
  t.equal(compileRoute('bk.{{ collection }}.{{collection}}').tableOf(rec('abc'), 0), 'bk.abc.abc')
  t.same(compileRoute('{{collection}}_copy').known, [], 'tables of a template are learned per record')
})

t.test('a collection with replacement patterns ($&) is inserted literally', async (t) => {
  const e = thrown(() => compileRoute('{{collection}}_copy').tableOf(rec('a$&b'), 3))
  t.ok(isOpenCDCError(e, 'ERR_DDB_NO_ROUTE'))
  t.match(e.message, /"a\$&b_copy", which is not a DynamoDB table name/)
})

t.test('a map routes by collection; an unmapped collection fails naming the record and the collection', async (t) => {
  const r = compileRoute({ a: 'a_copy', b: 'b_copy', c: 'a_copy' })
  t.equal(r.tableOf(rec('b'), 0), 'b_copy')
  t.same(r.known, ['a_copy', 'b_copy'])
  const e = thrown(() => r.tableOf(rec('zz'), 7)) as Error & { details?: Record<string, unknown> }
  t.ok(isOpenCDCError(e, 'ERR_DDB_NO_ROUTE'))
  t.match(e.message, /^record #7 position "p1" key .*collection "zz" has no table in the table map/)
  t.equal(e.details?.collection, 'zz')
})

t.test('a template or map needs the collection metadata', async (t) => {
  for (const route of ['{{collection}}_x', { a: 'tbl' }]) {
    const e = thrown(() => compileRoute(route).tableOf(rec(), 2))
    t.ok(isOpenCDCError(e, 'ERR_DDB_NO_ROUTE'))
    t.match(e.message, /record #2 .*no "opencdc.collection" metadata/)
  }
})

t.test('a function routes by record; a throw or a non-name becomes ERR_DDB_NO_ROUTE with the cause', async (t) => {
  t.equal(compileRoute((r: OpenCDCRecord) => `t_${String(r.metadata['opencdc.collection'])}`).tableOf(rec('q1'), 0), 't_q1')
  const boom = new Error('boom')
  const e = thrown(() => compileRoute(() => { throw boom }).tableOf(rec('q'), 1))
  t.ok(isOpenCDCError(e, 'ERR_DDB_NO_ROUTE'))
  t.equal(e.cause, boom)
  t.match(thrown(() => compileRoute(() => 42 as unknown as string).tableOf(rec('q'), 1)).message, /the table function gave 42/)
})

t.test('bad routes fail at construction as ERR_DDB_INVALID_OPTION', async (t) => {
  for (const [route, re] of [
    ['{{ .Metadata }}_x', /the only placeholder is \{\{collection\}\}/],
    ['{{collection}}_{{table}}', /the only placeholder/],
    [{}, /an empty map/],
    [{ a: 5 }, /collection "a" maps to 5/],
    [['a'], /got an array/],
    [7, /got number/]
  ] as Array<[unknown, RegExp]>) {
    const e = thrown(() => compileRoute(route))
    t.ok(isOpenCDCError(e, 'ERR_DDB_INVALID_OPTION'), String(route))
    t.match(e.message, re)
  }
})
