import t from 'tap'
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { FileCheckpointStore, MemoryCheckpointStore } from '../../../src/checkpoint/stores.js'

t.test('the memory store returns a copy of what was saved', async (t) => {
  const store = new MemoryCheckpointStore<{ a: number[] }>()
  t.equal(await store.load(), undefined)
  const doc = { a: [1] }
  await store.save(doc)
  doc.a.push(2)
  t.same(await store.load(), { a: [1] }, 'later changes by the caller do not leak in')
  await store.clear()
  t.equal(await store.load(), undefined)
})

t.test('the file store writes JSON atomically, leaves no temp file and loads it back', async (t) => {
  const dir = t.testdir()
  const file = path.join(dir, 'sub', 'cp.json')
  const store = new FileCheckpointStore<{ n: number }>(file)
  t.equal(await store.load(), undefined, 'no file yet')
  await Promise.all([store.save({ n: 1 }), store.save({ n: 2 }), store.save({ n: 3 })])
  t.same(JSON.parse(await readFile(file, 'utf8')), { n: 3 }, 'saves are applied in call order: the last wins')
  t.same(await readdir(path.dirname(file)), ['cp.json'], 'no temp file left')
  t.same(await store.load(), { n: 3 })
  await store.clear()
  t.equal(await store.load(), undefined)
  await store.clear()
})

t.test('every save replaces the file by a new one and never writes into the old: a reader holding it open still reads the old document whole', async (t) => {
  const file = path.join(t.testdir(), 'cp.json')
  const store = new FileCheckpointStore<{ n: number, pad: string }>(file)
  await store.save({ n: 1, pad: 'x'.repeat(100_000) })
  const old = await open(file, 'r')
  t.teardown(() => old.close())
  const firstInode = (await stat(file)).ino
  await store.save({ n: 2, pad: 'y'.repeat(10) })
  t.not((await stat(file)).ino, firstInode, 'the path names a new inode after the save')
  t.same(JSON.parse(await old.readFile('utf8')), { n: 1, pad: 'x'.repeat(100_000) }, 'the old inode was never truncated nor written')
  t.same(JSON.parse(await readFile(file, 'utf8')), { n: 2, pad: 'yyyyyyyyyy' })
})

t.test('a corrupt checkpoint file is an error naming the file', async (t) => {
  const file = path.join(t.testdir(), 'cp.json')
  await writeFile(file, '{"half')
  await t.rejects(new FileCheckpointStore(file).load(), { code: 'ERR_DDB_CHECKPOINT_CORRUPT', message: /cp\.json is not valid JSON; remove it to start over/ })
})
