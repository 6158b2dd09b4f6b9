import t from 'tap'
import { Readable } from 'node:stream'
import { batch, unbatch } from '../../../src/transforms/index.js'
import { collect } from '../../helpers/collect.js'

t.test('unbatch is the inverse of batch', async (t) => {
  const items = Array.from({ length: 10 }, (_, i) => ({ i }))
  t.same(await collect(Readable.from(items).pipe(batch({ size: 4 })).pipe(unbatch())), items)
})

t.test('unbatch fails on a chunk that is not an array, naming it', async (t) => {
  await t.rejects(collect(Readable.from([[1], 2]).pipe(unbatch())), { code: 'ERR_DDB_INVALID_BATCH', message: /chunk #1 is a number/ })
})

t.test('unbatch passes empty arrays through as nothing', async (t) => {
  t.same(await collect(Readable.from([[], [1], []]).pipe(unbatch())), [1])
})
