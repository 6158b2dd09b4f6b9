import t from 'tap'
import { closed, listed, open } from './shard-tree.fixtures.js'

const none = (): undefined => undefined
const zero = (): number => 0

t.test('a shard read from LATEST with nothing read yet has no position: resume at the horizon', async (t) => {
  const tree = listed({ startFrom: 'latest' }, [open('a')])
  tree.take()
  t.same(tree.progress(none, zero), { a: {} })
})

t.test('the first sequence number read becomes the floor until something is acknowledged', async (t) => {
  const tree = listed({ startFrom: 'latest' }, [open('a')])
  tree.take()
  tree.markRead('a', '10')
  tree.markRead('a', '11')
  t.same(tree.progress(none, () => 2), { a: { at: '10' } })
  t.same(tree.progress((id) => id === 'a' ? '11' : undefined, zero), { a: { after: '11' } })
})

t.test('a resumed shard keeps its stored position until a newer one is acknowledged', async (t) => {
  const tree = listed({ startFrom: 'latest', progress: { a: { after: '50' }, b: { at: '7' } } }, [open('a'), open('b')])
  tree.take()
  tree.markRead('a', '51')
  t.same(tree.progress(none, zero), { a: { after: '50' }, b: { at: '7' } })
})

t.test('a shard read to its end is done only once every record is acknowledged', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p')])
  tree.take()
  tree.markRead('p', '1')
  tree.finish('p')
  t.same(tree.progress(() => undefined, () => 3), { p: { at: '1' } })
  t.same(tree.progress(() => '9', () => 0), { p: { done: true } })
})

t.test("a child's progress is not stored while its parent still has unacknowledged records", async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p'), open('c', 'p')])
  tree.take()
  tree.markRead('p', '1')
  tree.finish('p')
  tree.take()
  tree.markRead('c', '100')
  t.same(tree.progress((id) => id === 'p' ? undefined : '105', (id) => id === 'p' ? 1 : 0), { p: { at: '1' }, c: { parent: 'p' } }, 'the child restarts from its horizon')
  t.same(tree.progress((id) => id === 'p' ? '1' : '105', zero), { p: { done: true }, c: { parent: 'p', after: '105' } })
})

t.test('shards skipped as history are stored as done so a resume does not replay them', async (t) => {
  const tree = listed({ startFrom: 'latest' }, [closed('old'), open('a', 'old')])
  tree.take()
  t.same(tree.progress(none, zero), { old: { done: true }, a: { parent: 'old' } })
})

t.test('completed shards that left the listing are dropped from the checkpoint', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p'), open('c', 'p')])
  tree.take()
  tree.finish('p')
  tree.take()
  tree.update([open('c', 'p')])
  t.same(tree.progress(none, zero), { c: { parent: 'p' } })
})
