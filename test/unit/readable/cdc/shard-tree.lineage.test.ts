import t from 'tap'
import { ShardTree } from '../../../../src/readable/cdc/shard-tree.js'
import { closed, listed, open } from './shard-tree.fixtures.js'

const ids = (xs: Array<{ shardId: string }>): string[] => xs.map((x) => x.shardId).sort()

t.test('a child is not readable until its parent is read to its end', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p'), open('c', 'p')])
  t.same(ids(tree.take()), ['p'])
  t.same(tree.take(), [], 'nothing else while the parent is read')
  tree.finish('p')
  t.same(tree.take(), [{ shardId: 'c', start: { type: 'TRIM_HORIZON' } }])
})

t.test('a split: both children wait for the parent, then start together at TRIM_HORIZON', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p'), open('a', 'p'), open('b', 'p')])
  t.same(ids(tree.take()), ['p'])
  tree.finish('p')
  const next = tree.take()
  t.same(ids(next), ['a', 'b'])
  t.ok(next.every((s) => s.start.type === 'TRIM_HORIZON'))
})

t.test('a three-generation chain is read strictly one generation after another', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('g'), closed('p', 'g'), open('c', 'p')])
  const order: string[] = []
  for (let round = 0; round < 5; round++) {
    for (const s of tree.take()) { order.push(s.shardId); if (s.shardId !== 'c') tree.finish(s.shardId) }
  }
  t.same(order, ['g', 'p', 'c'])
})

t.test('a shard whose parent is no longer listed is a root', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [open('c', 'gone')])
  t.same(ids(tree.take()), ['c'])
})

t.test('an open parent that already has children is closing: children wait for its end', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [open('p'), open('c', 'p')])
  t.ok(tree.isClosing('p'))
  t.notOk(tree.isClosing('c'))
  t.same(ids(tree.take()), ['p'])
  tree.finish('p')
  t.same(ids(tree.take()), ['c'])
})

t.test('children discovered later start at TRIM_HORIZON after their parent ends', async (t) => {
  const tree = listed({ startFrom: 'latest' }, [open('p')])
  t.same(tree.take(), [{ shardId: 'p', start: { type: 'LATEST' } }])
  const { added } = tree.update([closed('p'), open('c', 'p')])
  t.same(added, ['c'])
  t.ok(tree.isClosing('p'))
  t.same(tree.take(), [])
  tree.finish('p')
  t.same(tree.take(), [{ shardId: 'c', start: { type: 'TRIM_HORIZON' } }])
})

t.test('each shard is handed to one reader only, even across rediscoveries', async (t) => {
  const tree = new ShardTree({ startFrom: 'trim_horizon' })
  const listing = [open('a'), open('b')]
  tree.update(listing)
  t.same(ids(tree.take()), ['a', 'b'])
  t.same(tree.update(listing).added, [])
  t.same(tree.take(), [])
  t.same(tree.reading().sort(), ['a', 'b'])
})

t.test('finishing a shard that is not being read is a bug and throws', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p'), open('c', 'p')])
  t.throws(() => tree.finish('c'), /finished while waiting/)
  t.throws(() => tree.finish('nope'), /unknown shard/)
})

t.test('counts unfinished shards so an idle tree can be told from a busy one', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p'), open('c', 'p')])
  t.equal(tree.unfinished(), 2)
  tree.take()
  tree.finish('p')
  t.equal(tree.unfinished(), 1)
})

t.test('an open parent becomes closing as soon as a later listing shows a child of it', async (t) => {
  const tree = listed({ startFrom: 'latest' }, [open('p')])
  t.notOk(tree.isClosing('p'))
  tree.update([open('p'), open('c', 'p')])
  t.ok(tree.isClosing('p'), 'still open in the listing, but it has a child')
})
