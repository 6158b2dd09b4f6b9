import t from 'tap'
import { CheckpointSaver } from '../../../src/checkpoint/saver.js'
import type { CheckpointStore } from '../../../src/checkpoint/stores.js'

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
  const writer = new CheckpointSaver({ store, build: () => n, interval: 0, label: 'store', onError: () => {} })
  n = 1; writer.changed()
  n = 2; writer.changed()
  n = 3; writer.changed()
  await writer.flush()
  t.same(store.saved.slice(0, 2), [1, 3], 'the first save, then one save of the newest')
  t.equal(store.saved.at(-1), 3)
})

t.test('saves are written in order, never an older document after a newer one', async (t) => {
  const store = slowStore()
  let n = 0
  const writer = new CheckpointSaver({ store, build: () => n, interval: 0, label: 'store', onError: () => {} })
  for (let i = 1; i <= 20; i++) { n = i; writer.changed(); if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 3)) }
  await writer.flush()
  t.same(store.saved, [...store.saved].sort((a, b) => a - b))
  t.equal(store.saved.at(-1), 20)
})

t.test('a failing save is reported, not swallowed', async (t) => {
  const errors: Error[] = []
  const writer = new CheckpointSaver({ store: { load: async () => undefined, save: async () => { throw new Error('disk full') }, clear: async () => {} }, build: () => 1, interval: 0, label: 'store', onError: (e) => { errors.push(e) } })
  writer.changed()
  await t.rejects(writer.flush(), { code: 'ERR_DDB_CHECKPOINT_SAVE' }, 'flush rejects with the first save error')
  t.match(errors[0]?.message, /disk full/)
})
