import { ShardTree, type ShardInfo } from '../../../../src/readable/cdc/shard-tree.js'

export const open = (shardId: string, parentShardId?: string): ShardInfo => ({ shardId, parentShardId, closed: false })
export const closed = (shardId: string, parentShardId?: string): ShardInfo => ({ shardId, parentShardId, closed: true })

/** A tree that has seen one listing of `shards`. */
export function listed (options: ConstructorParameters<typeof ShardTree>[0], shards: ShardInfo[]): ShardTree {
  const tree = new ShardTree(options)
  tree.update(shards)
  return tree
}
