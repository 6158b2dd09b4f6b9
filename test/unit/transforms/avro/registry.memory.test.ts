import t from 'tap'
import { InMemorySchemaRegistry } from '../../../../src/transforms/index.js'

t.test('numbers versions per subject and returns the existing version for a known schema', async (t) => {
  const reg = new InMemorySchemaRegistry()
  t.equal((await reg.register('a', 'S1')).version, 1)
  t.equal((await reg.register('a', 'S2')).version, 2)
  t.equal((await reg.register('a', 'S1')).version, 1)
  t.equal((await reg.register('b', 'S2')).version, 1)
  t.same(reg.subjects(), { a: 2, b: 1 })
})

t.test('shares one id between subjects for the same schema text', async (t) => {
  const reg = new InMemorySchemaRegistry()
  const x = await reg.register('a', 'S')
  const y = await reg.register('b', 'S')
  t.equal(x.id, y.id)
  t.equal(await reg.getById(x.id), 'S')
  t.same(await reg.get('b', 1), { subject: 'b', version: 1, id: x.id, schema: 'S' })
})

t.test('an unknown subject, version or id is a coded not-found error', async (t) => {
  const reg = new InMemorySchemaRegistry()
  await reg.register('a', 'S')
  await t.rejects(reg.get('a', 2), { code: 'ERR_DDB_SCHEMA_NOT_FOUND', message: /subject "a" version 2 not found/ })
  await t.rejects(reg.get('z', 1), { code: 'ERR_DDB_SCHEMA_NOT_FOUND' })
  await t.rejects(reg.getById(99), { code: 'ERR_DDB_SCHEMA_NOT_FOUND' })
})
