import t from 'tap'
import { ShardTree } from '../../../../src/readable/cdc/shard-tree.js'
import { closed, listed, open } from './shard-tree.fixtures.js'

t.test('a checkpointed shard that is no longer listed is reported lost with its last safe position', async (t) => {
  const tree = new ShardTree({ startFrom: 'latest', progress: { gone: { after: '42' }, fine: { after: '1' } } })
  const { lost } = tree.update([open('fine')])
  t.same(lost, [{ shardId: 'gone', reason: 'vanished', sequenceNumber: '42' }])
})

t.test('a checkpointed shard that was completed may disappear without a loss', async (t) => {
  const tree = new ShardTree({ startFrom: 'latest', progress: { gone: { done: true }, c: { parent: 'gone' } } })
  const { lost } = tree.update([open('c', 'gone')])
  t.same(lost, [])
  t.same(tree.take().map((s) => s.shardId), ['c'])
})

t.test('a shard vanishing before it was read to its end is reported lost', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p'), open('c', 'p')])
  tree.take()
  tree.markRead('p', '5')
  const { lost } = tree.update([open('c', 'p')])
  t.same(lost, [{ shardId: 'p', reason: 'vanished', sequenceNumber: '5' }])
})

t.test('a shard vanishing after it was read to its end is no loss', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p'), open('c', 'p')])
  tree.take()
  tree.finish('p')
  t.same(tree.update([open('c', 'p')]).lost, [])
})

t.test('on resume, a new shard whose parent neither the checkpoint nor the stream knows means a lost generation', async (t) => {
  const tree = new ShardTree({ startFrom: 'latest', progress: { a: { done: true } } })
  const { lost } = tree.update([open('x', 'born-and-trimmed')])
  t.same(lost, [{ shardId: 'born-and-trimmed', reason: 'parent-unknown' }])
})

t.test('on a fresh start an unknown parent is just history, not a loss', async (t) => {
  const tree = new ShardTree({ startFrom: 'trim_horizon' })
  t.same(tree.update([open('x', 'old')]).lost, [])
})
