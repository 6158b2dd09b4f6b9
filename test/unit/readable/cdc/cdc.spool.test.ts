import t from 'tap'
import { readdir } from 'node:fs/promises'
import { Spool } from '../../../../src/readable/cdc/spool.js'

t.test('keeps entries in memory up to the limit and returns them in order', async (t) => {
  const spool = new Spool<number>({ memoryLimit: 10, dir: t.testdir() })
  await spool.append([1, 2, 3])
  t.equal(spool.size, 3)
  t.same(await spool.shift(2), [1, 2])
  t.same(await spool.shift(5), [3])
  t.equal(spool.spilled, 0)
  t.same(await spool.shift(5), [])
})

t.test('spills beyond the memory limit to files and still returns everything in order', async (t) => {
  const dir = t.testdir()
  const spool = new Spool<{ n: number }>({ memoryLimit: 5, dir, fileEntries: 7 })
  const items = Array.from({ length: 40 }, (_, n) => ({ n }))
  await spool.append(items.slice(0, 25))
  t.equal(spool.spilled, 20)
  t.same(await spool.shift(3), items.slice(0, 3))
  await spool.append(items.slice(25))
  const out = [...items.slice(0, 3)]
  for (let got = await spool.shift(6); got.length > 0; got = await spool.shift(6)) out.push(...got)
  t.same(out, items)
  t.equal(spool.size, 0)
  const left = await readdir(dir, { recursive: true })
  t.same(left.filter((f) => String(f).endsWith('.jsonl')), [], 'consumed spill files are deleted')
  await spool.close()
})

t.test('memory freed by shifting is reused only after the spilled tail is consumed, keeping order', async (t) => {
  const spool = new Spool<number>({ memoryLimit: 2, dir: t.testdir(), fileEntries: 100 })
  await spool.append([1, 2, 3])
  t.same(await spool.shift(1), [1])
  await spool.append([4])
  t.same(await spool.shift(10), [2, 3, 4])
  await spool.close()
})

t.test('binary values survive a spill bit-exact', async (t) => {
  const spool = new Spool<{ B: Uint8Array, nested: { x: { B: Uint8Array } } }>({ memoryLimit: 0, dir: t.testdir() })
  await spool.append([{ B: new Uint8Array([0, 255, 7]), nested: { x: { B: new Uint8Array([]) } } }])
  const [got] = await spool.shift(1)
  t.same(got?.B, new Uint8Array([0, 255, 7]))
  t.same(got?.nested.x.B, new Uint8Array([]))
  await spool.close()
})

t.test('close removes the spill directory', async (t) => {
  const dir = t.testdir()
  const spool = new Spool<number>({ memoryLimit: 0, dir })
  await spool.append([1, 2])
  t.equal((await readdir(dir)).length, 1)
  await spool.close()
  t.same(await readdir(dir), [])
})
