import t from 'tap'
import { ShardTree } from '../../../../src/readable/cdc/shard-tree.js'
import { closed, listed, open } from './shard-tree.fixtures.js'

const starts = (tree: ShardTree): Record<string, string> => Object.fromEntries(tree.take().map((s) => [s.shardId, 'sequenceNumber' in s.start ? `${s.start.type}:${s.start.sequenceNumber}` : s.start.type]))

t.test('a fresh start from latest reads open shards from LATEST and skips closed history', async (t) => {
  const tree = listed({ startFrom: 'latest' }, [closed('old'), closed('p', 'old'), open('a', 'p'), open('b', 'p')])
  t.same(starts(tree), { a: 'LATEST', b: 'LATEST' })
})

t.test('from latest, a child of an open (closing) parent waits and starts at TRIM_HORIZON', async (t) => {
  const tree = listed({ startFrom: 'latest' }, [open('p'), open('c', 'p')])
  t.same(starts(tree), { p: 'LATEST' })
  tree.finish('p')
  t.same(starts(tree), { c: 'TRIM_HORIZON' })
})

t.test('a fresh start from trim_horizon reads every shard from TRIM_HORIZON, oldest first', async (t) => {
  const tree = listed({ startFrom: 'trim_horizon' }, [closed('p'), open('c', 'p')])
  t.same(starts(tree), { p: 'TRIM_HORIZON' })
})

t.test('a resume starts after the acknowledged sequence number, at the floor, or at the horizon', async (t) => {
  const tree = new ShardTree({
    startFrom: 'latest',
    progress: { done: { done: true }, acked: { after: '120' }, floored: { at: '77' }, bare: {} }
  })
  tree.update([closed('done'), open('acked'), open('floored'), open('bare'), open('fresh')])
  t.same(starts(tree), { acked: 'AFTER_SEQUENCE_NUMBER:120', floored: 'AT_SEQUENCE_NUMBER:77', bare: 'TRIM_HORIZON', fresh: 'TRIM_HORIZON' })
})

t.test('on resume a shard completed before is not read again but releases its children', async (t) => {
  const tree = listed({ startFrom: 'latest', progress: { p: { done: true } } }, [closed('p'), open('c', 'p')])
  t.same(starts(tree), { c: 'TRIM_HORIZON' })
})

t.test('startFrom is ignored on resume: unknown shards are never read from LATEST', async (t) => {
  const tree = listed({ startFrom: 'latest', progress: { a: { after: '5' } } }, [open('a'), open('b')])
  t.same(starts(tree), { a: 'AFTER_SEQUENCE_NUMBER:5', b: 'TRIM_HORIZON' })
})
