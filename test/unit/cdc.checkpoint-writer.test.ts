import t from 'tap'
import { CheckpointWriter } from '../../src/readable/cdc/checkpoint-writer.js'
import type { CheckpointStore } from '../../src/checkpoint.js'

function slowStore (): CheckpointStore<number> & { saved: number[] } {
  const saved: number[] = []
  return {
    saved,
    load: async () => undefined,
    save: async (n: number) => { await new Promise((resolve) => setTimeout(resolve, 10)); saved.push(n) },
    clear: async () => {}
  }
}

t.test('requests during a save collapse into one more save of the newest document', async (t) => {
  const store = slowStore()
  let n = 0
  const writer = new CheckpointWriter(store, () => n, () => {})
  n = 1; writer.request()
  n = 2; writer.request()
  n = 3; writer.request()
  await writer.flush()
  t.same(store.saved.slice(0, 2), [1, 3], 'the first save, then one save of the newest')
  t.equal(store.saved.at(-1), 3)
})

t.test('saves are written in order, never an older document after a newer one', async (t) => {
  const store = slowStore()
  let n = 0
  const writer = new CheckpointWriter(store, () => n, () => {})
  for (let i = 1; i <= 20; i++) { n = i; writer.request(); if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 3)) }
  await writer.flush()
  t.same(store.saved, [...store.saved].sort((a, b) => a - b))
  t.equal(store.saved.at(-1), 20)
})

t.test('a failing save is reported, not swallowed', async (t) => {
  const errors: Error[] = []
  const writer = new CheckpointWriter({ load: async () => undefined, save: async () => { throw new Error('disk full') }, clear: async () => {} }, () => 1, (e) => { errors.push(e) })
  writer.request()
  await writer.flush()
  t.match(errors[0]?.message, /disk full/)
})
