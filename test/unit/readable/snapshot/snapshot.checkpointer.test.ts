import t from 'tap'
import { Checkpointer } from '../../../../src/checkpoint/checkpointer.js'
import { MemoryCheckpointStore, type CheckpointStore } from '../../../../src/checkpoint/stores.js'
import type { SourceCheckpoint } from '../../../../src/checkpoint/document.js'
import { encodeSnapshotPosition } from '../../../../src/readable/snapshot/position.js'

const pos = (id: string): Buffer => encodeSnapshotPosition(0, 1, { id: { S: id } })

function setup (interval = 0, store: CheckpointStore<SourceCheckpoint> = new MemoryCheckpointStore()): { cp: Checkpointer, commits: unknown[], errors: Error[], store: CheckpointStore<SourceCheckpoint> } {
  const errors: Error[] = []
  const cp = new Checkpointer({ store, table: 'orders', interval, onError: (err) => errors.push(err) })
  const commits: unknown[] = []
  cp.lane('seg0', (point) => { commits.push(point); cp.doc.snapshot = { totalSegments: 1, done: false, segments: [point as null] } })
  return { cp, commits, errors, store }
}

t.test('the frontier moves only over a contiguous acknowledged prefix, in emit order', async (t) => {
  const { cp, commits } = setup()
  cp.track('seg0', 'a', pos('a'))
  cp.track('seg0', 'b', pos('b'))
  cp.track('seg0', 'c', pos('c'))
  t.equal(cp.unacked, 3)
  t.ok(cp.ack(pos('b')))
  t.same(commits, [], 'b alone does not move the frontier')
  t.ok(cp.ack(pos('a')))
  t.same(commits, ['b'], 'a then covers a and b')
  cp.mark('seg0', 'page-end')
  t.same(commits, ['b'], 'a page-end marker waits for c')
  t.ok(cp.ack(pos('c')))
  t.same(commits, ['b', 'page-end'], 'acknowledging c moves the frontier past the marker')
  t.equal(cp.unacked, 0)
})

t.test('acknowledging twice is harmless; a foreign position is an error', async (t) => {
  const { cp } = setup()
  cp.track('seg0', 'a', pos('a'))
  t.ok(cp.ack(pos('a')))
  t.notOk(cp.ack(pos('a')), 'the second ack is ignored')
  t.throws(() => cp.ack(Buffer.from('not a position')), { code: 'ERR_DDB_INVALID_POSITION' })
})

t.test('a copy of the position acknowledges the record', async (t) => {
  const { cp, commits } = setup()
  cp.track('seg0', 'a', pos('a'))
  t.ok(cp.ack(new Uint8Array(pos('a'))))
  t.same(commits, ['a'])
})

t.test('the same position emitted twice needs two acknowledgements', async (t) => {
  const { cp, commits } = setup()
  cp.track('seg0', 'a1', pos('a'))
  cp.track('seg0', 'a2', pos('a'))
  cp.ack(pos('a'))
  t.same(commits, ['a1'])
  cp.ack(pos('a'))
  t.same(commits, ['a1', 'a2'])
})

t.test('saves are throttled to one per interval and flush() writes at once', async (t) => {
  const store = new MemoryCheckpointStore<SourceCheckpoint>()
  const { cp } = setup(200, store)
  for (const id of ['a', 'b', 'c']) cp.track('seg0', id, pos(id))
  cp.ack(pos('a'))
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(store.saves, 1, 'the first change is saved at once')
  cp.ack(pos('b'))
  cp.ack(pos('c'))
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(store.saves, 1, 'later changes wait for the interval')
  await cp.flush()
  t.equal(store.saves, 2, 'flush saves now')
  t.same((await store.load())?.snapshot?.segments, ['c'])
  await cp.flush()
  t.equal(store.saves, 2, 'nothing changed: nothing saved')
  await new Promise((resolve) => setTimeout(resolve, 250))
  t.equal(store.saves, 2, 'no timer left behind')
})

t.test('a failed save is reported once and flush() rejects with it', async (t) => {
  const failing: CheckpointStore<SourceCheckpoint> = { load: async () => undefined, save: async () => { throw new Error('disk full') }, clear: async () => {} }
  const { cp, errors } = setup(0, failing)
  cp.changed()
  await t.rejects(cp.flush(), { code: 'ERR_DDB_CHECKPOINT_SAVE', message: /checkpoint store: save failed: disk full/ })
  t.equal(errors.length, 1)
})

t.test('without a store nothing is tracked and ack is a no-op', async (t) => {
  const cp = new Checkpointer({ table: 'orders', interval: 0, onError: () => {} })
  t.notOk(cp.enabled)
  cp.track('seg0', 'a', pos('a'))
  t.equal(cp.unacked, 0)
  t.notOk(cp.ack(pos('a')))
  await cp.flush()
})

t.test('load() checks the stored document against the table', async (t) => {
  const store = new MemoryCheckpointStore()
  await store.save({ v: 1, table: 'users' })
  const cp = new Checkpointer({ store, table: 'orders', interval: 0, onError: () => {} })
  await t.rejects(cp.load(), { code: 'ERR_DDB_CHECKPOINT_MISMATCH' })
  const fresh = new Checkpointer({ store: new MemoryCheckpointStore(), table: 'orders', interval: 0, onError: () => {} })
  t.same(await fresh.load(), { v: 1, table: 'orders' })
})
