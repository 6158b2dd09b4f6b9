import t from 'tap'
import { checkViewTypeForFilter, filterChange } from '../../../src/filter/change.js'
import { compileExpressions } from '../../../src/filter/index.js'

const { filter, projection } = compileExpressions({ filter: 'tenant = :t', projection: 'tenant, v', keys: ['pk'], expressionAttributeValues: { ':t': 'one' } })
const opts = { filter, projection }
const item = (tenant: string, v: string): Record<string, { S: string }> => ({ pk: { S: 'k' }, tenant: { S: tenant }, v: { S: v }, secret: { S: 'pii' } })
const proj = (tenant: string, v: string): Record<string, { S: string }> => ({ pk: { S: 'k' }, tenant: { S: tenant }, v: { S: v } })

t.test('old in, new in: an update with both images projected', (t) => {
  t.same(filterChange('MODIFY', item('one', '1'), item('one', '2'), opts), { operation: 'update', before: proj('one', '1'), after: proj('one', '2') })
  t.end()
})

t.test('old out, new in: a create carrying the whole projected new image', (t) => {
  t.same(filterChange('MODIFY', item('two', '1'), item('one', '2'), opts), { operation: 'create', after: proj('one', '2') })
  t.same(filterChange('INSERT', undefined, item('one', '2'), opts), { operation: 'create', after: proj('one', '2') })
  t.end()
})

t.test('old in, new out: a delete of the projected old image', (t) => {
  t.same(filterChange('MODIFY', item('one', '1'), item('two', '2'), opts), { operation: 'delete', before: proj('one', '1') })
  t.same(filterChange('REMOVE', item('one', '1'), undefined, opts), { operation: 'delete', before: proj('one', '1') })
  t.end()
})

t.test('old out, new out: nothing', (t) => {
  t.same(filterChange('MODIFY', item('two', '1'), item('three', '2'), opts), { operation: 'nothing' })
  t.same(filterChange('INSERT', undefined, item('two', '2'), opts), { operation: 'nothing' })
  t.same(filterChange('REMOVE', item('two', '1'), undefined, opts), { operation: 'nothing' })
  t.end()
})

t.test('without a filter the event keeps its kind and images are projected', (t) => {
  t.same(filterChange('MODIFY', item('two', '1'), item('two', '2'), { projection }), { operation: 'update', before: proj('two', '1'), after: proj('two', '2') })
  t.same(filterChange('REMOVE', undefined, undefined, {}), { operation: 'delete', before: undefined })
  t.end()
})

t.test('a record lacking the image a filter needs is refused, never guessed', (t) => {
  t.throws(() => filterChange('MODIFY', undefined, item('one', '2'), opts), { code: 'ERR_DDB_STREAM_VIEW_TYPE', message: /old image/ })
  t.throws(() => filterChange('REMOVE', undefined, undefined, opts), { code: 'ERR_DDB_STREAM_VIEW_TYPE' })
  t.throws(() => filterChange('INSERT', undefined, undefined, opts), { code: 'ERR_DDB_STREAM_VIEW_TYPE', message: /new image/ })
  t.end()
})

t.test('a filter needs NEW_AND_OLD_IMAGES', (t) => {
  t.doesNotThrow(() => checkViewTypeForFilter('NEW_AND_OLD_IMAGES'))
  for (const v of ['NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY', undefined]) {
    t.throws(() => checkViewTypeForFilter(v, 'orders'), { code: 'ERR_DDB_STREAM_VIEW_TYPE', message: /orders.*NEW_AND_OLD_IMAGES/, details: { table: 'orders', viewType: v } }, String(v))
  }
  t.end()
})
