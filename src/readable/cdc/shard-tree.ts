/** Where a shard reader starts: the four iterator types of DynamoDB Streams. */
export type StartPoint =
  | { type: 'TRIM_HORIZON' }
  | { type: 'LATEST' }
  | { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: string }
  | { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: string }

/** A shard as DescribeStream lists it; `closed` when it has an EndingSequenceNumber. */
export interface ShardInfo {
  shardId: string
  parentShardId?: string | undefined
  closed: boolean
}

/** What a checkpoint remembers of a shard. */
export interface ShardProgress {
  parent?: string
  /** Resume after this sequence number (the last acknowledged record). */
  after?: string
  /** Resume at this sequence number (the first record read, nothing acknowledged yet). */
  at?: string
  /** Every record of the shard was read and acknowledged. */
  done?: true
  /** Started at LATEST and nothing read yet: when (epoch ms) its iterator was taken. A resume reads from TRIM_HORIZON but skips records created before since − RESUME_MARGIN_MS, which the snapshot holds. */
  since?: number
}

/**
 * ApproximateCreationDateTime is rounded down to the second on AWS and truncated to the minute by DynamoDB
 * Local: records this much older than a LATEST anchor were made before it (so are in the snapshot).
 */
export const RESUME_MARGIN_MS = 120_000

export interface ShardLoss {
  shardId: string
  /** The last sequence number known to be safe, if any. */
  sequenceNumber?: string
  reason: 'vanished' | 'parent-unknown'
}

type State = 'waiting' | 'reading' | 'read' | 'done'

interface Node {
  id: string
  parent: string | undefined
  closed: boolean
  listed: boolean
  state: State
  start: StartPoint
  /** First sequence number read, when the start point was not a sequence number. */
  floor: string | undefined
  /** Set when the shard was complete before this run (checkpoint or skipped history). */
  complete: boolean
  /** When a LATEST start's iterator was taken (this run or, from the checkpoint, an earlier one). */
  since: number | undefined
  hasChildren: boolean
}

export interface ShardTreeOptions {
  /** Where shards known at the first discovery start on a fresh run. */
  startFrom: 'latest' | 'trim_horizon'
  /** Per-shard progress from a checkpoint; present means this is a resume. */
  progress?: Record<string, ShardProgress> | undefined
  /** Clock for `since` (tests inject one). */
  now?: () => number
}

const TRIM_HORIZON: StartPoint = { type: 'TRIM_HORIZON' }

/**
 * The lineage of a stream's shards and who may be read: a child only after its parent was read to its
 * true end; a parent no longer listed is treated as a root; one reader per shard. Pure: no I/O.
 */
export class ShardTree {
  #nodes = new Map<string, Node>()
  #startFrom: 'latest' | 'trim_horizon'
  #progress: Record<string, ShardProgress> | undefined
  #discovered = false
  #now: () => number

  constructor (options: ShardTreeOptions) {
    this.#now = options.now ?? Date.now
    this.#startFrom = options.startFrom
    this.#progress = options.progress !== undefined && Object.keys(options.progress).length > 0 ? options.progress : undefined
  }

  /** Merges a DescribeStream listing; returns new shard ids and shards whose unread records are gone. */
  update (listing: readonly ShardInfo[]): { added: string[], lost: ShardLoss[] } {
    const first = !this.#discovered
    this.#discovered = true
    const byId = new Map(listing.map((s) => [s.shardId, s]))
    const added: string[] = []
    const lost: ShardLoss[] = []
    for (const node of this.#nodes.values()) {
      const listed = byId.has(node.id)
      if (!listed && node.listed && node.state !== 'done' && node.state !== 'read') {
        lost.push(this.#loss(node.id, 'vanished', this.#safeSequence(node)))
      }
      node.listed = listed
    }
    if (first && this.#progress !== undefined) {
      for (const [id, p] of Object.entries(this.#progress)) {
        if (byId.has(id) || this.#nodes.has(id)) continue
        if (p.done !== true) lost.push(this.#loss(id, 'vanished', p.after ?? p.at))
        this.#nodes.set(id, this.#node(id, p.parent, true, false, p.done === true))
      }
    }
    for (const shard of listing) {
      const known = this.#nodes.get(shard.shardId)
      if (known !== undefined) {
        known.closed = known.closed || shard.closed
        continue
      }
      const node = this.#place(shard, byId, first)
      this.#nodes.set(shard.shardId, node)
      added.push(shard.shardId)
      if (first && this.#progress !== undefined && this.#progress[shard.shardId] === undefined &&
          shard.parentShardId !== undefined && !byId.has(shard.parentShardId) && this.#progress[shard.parentShardId] === undefined) {
        lost.push(this.#loss(shard.parentShardId, 'parent-unknown'))
      }
    }
    for (const node of this.#nodes.values()) {
      const parent = node.parent !== undefined ? this.#nodes.get(node.parent) : undefined
      if (parent !== undefined) parent.hasChildren = true
    }
    return { added, lost }
  }

  #loss (shardId: string, reason: ShardLoss['reason'], sequenceNumber?: string): ShardLoss {
    return sequenceNumber === undefined ? { shardId, reason } : { shardId, reason, sequenceNumber }
  }

  #safeSequence (node: Node): string | undefined {
    return node.start.type === 'AFTER_SEQUENCE_NUMBER' || node.start.type === 'AT_SEQUENCE_NUMBER' ? node.start.sequenceNumber : node.floor
  }

  #node (id: string, parent: string | undefined, closed: boolean, listed: boolean, done: boolean, start: StartPoint = TRIM_HORIZON, since?: number): Node {
    return { id, parent, closed, listed, state: done ? 'done' : 'waiting', start, floor: undefined, complete: done, hasChildren: false, since }
  }

  #place (shard: ShardInfo, listing: Map<string, ShardInfo>, first: boolean): Node {
    const p = this.#progress?.[shard.shardId]
    const make = (done: boolean, start?: StartPoint, since?: number): Node => this.#node(shard.shardId, shard.parentShardId, shard.closed, true, done, start, since)
    if (p !== undefined) {
      if (p.done === true) return make(true)
      if (p.after !== undefined) return make(false, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: p.after })
      if (p.at !== undefined) return make(false, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: p.at })
      return make(false, TRIM_HORIZON, typeof p.since === 'number' ? p.since : undefined)
    }
    if (!first || this.#progress !== undefined || this.#startFrom === 'trim_horizon') return make(false)
    // A fresh start from LATEST: closed shards are history; an open shard under an open (closing) parent waits for it.
    if (shard.closed) return make(true)
    const parent = shard.parentShardId !== undefined ? listing.get(shard.parentShardId) : undefined
    if (parent !== undefined && !parent.closed) return make(false)
    return make(false, { type: 'LATEST' }, this.#now())
  }

  /** Records of this shard created before this time (ms) are skipped: a resumed LATEST start that had read nothing. */
  cutoff (shardId: string): number | undefined {
    const node = this.#nodes.get(shardId)
    if (node === undefined || node.since === undefined || node.floor !== undefined || node.start.type !== 'TRIM_HORIZON') return undefined
    return node.since - RESUME_MARGIN_MS
  }

  /** Shards that may be read now (parent read to its end, or parent unknown); each is handed out once. */
  take (): Array<{ shardId: string, start: StartPoint }> {
    const out: Array<{ shardId: string, start: StartPoint }> = []
    for (const node of this.#nodes.values()) {
      if (node.state !== 'waiting' || !node.listed) continue
      const parent = node.parent !== undefined ? this.#nodes.get(node.parent) : undefined
      if (parent !== undefined && parent.state !== 'read' && parent.state !== 'done') continue
      node.state = 'reading'
      out.push({ shardId: node.id, start: node.start })
    }
    return out
  }

  /** Records the first sequence number a reader saw, so a restart can begin there rather than at the horizon; true when it is new. */
  markRead (shardId: string, sequenceNumber: string): boolean {
    const node = this.#get(shardId)
    if (node.floor !== undefined || node.start.type === 'AFTER_SEQUENCE_NUMBER' || node.start.type === 'AT_SEQUENCE_NUMBER') return false
    node.floor = sequenceNumber
    return true
  }

  /** The reader got a null NextShardIterator: the shard is read to its end, its children may start. */
  finish (shardId: string): void {
    const node = this.#get(shardId)
    if (node.state !== 'reading') throw new RangeError(`shard ${shardId} finished while ${node.state}`)
    node.state = 'read'
  }

  /** True when the shard will not get more records: closed, or an open parent already showing children. */
  isClosing (shardId: string): boolean {
    const node = this.#get(shardId)
    return node.closed || node.hasChildren
  }

  has (shardId: string): boolean { return this.#nodes.has(shardId) }

  /** Shards handed to a reader that have not reached their end. */
  reading (): string[] { return [...this.#nodes.values()].filter((n) => n.state === 'reading').map((n) => n.id) }

  /** Shards not yet read to their end (waiting or reading), e.g. to tell whether the tree is idle. */
  unfinished (): number { return [...this.#nodes.values()].filter((n) => n.listed && (n.state === 'waiting' || n.state === 'reading')).length }

  /**
   * The checkpoint section for the shards: a shard's progress counts only when every ancestor is complete,
   * since a parent's unacknowledged tail replayed after a child's newer records would undo them.
   */
  progress (frontier: (shardId: string) => string | undefined, pending: (shardId: string) => number): Record<string, ShardProgress> {
    const complete = new Map<string, boolean>()
    const isComplete = (id: string, seen: Set<string>): boolean => {
      const cached = complete.get(id)
      if (cached !== undefined) return cached
      const node = this.#nodes.get(id)
      if (node === undefined || seen.has(id)) return true
      seen.add(id)
      const self = node.state === 'done' || (node.state === 'read' && pending(id) === 0)
      const result = self && (node.parent === undefined || isComplete(node.parent, seen))
      complete.set(id, result)
      return result
    }
    const out: Record<string, ShardProgress> = {}
    for (const node of this.#nodes.values()) {
      if (!node.listed && isComplete(node.id, new Set())) continue
      const entry: ShardProgress = node.parent !== undefined ? { parent: node.parent } : {}
      out[node.id] = entry
      if (node.parent !== undefined && !isComplete(node.parent, new Set())) continue
      if (isComplete(node.id, new Set())) { entry.done = true; continue }
      const acked = frontier(node.id)
      if (acked !== undefined) entry.after = acked
      else if (node.start.type === 'AFTER_SEQUENCE_NUMBER') entry.after = node.start.sequenceNumber
      else if (node.start.type === 'AT_SEQUENCE_NUMBER') entry.at = node.start.sequenceNumber
      else if (node.floor !== undefined) entry.at = node.floor
      else if (node.since !== undefined) entry.since = node.since
    }
    return out
  }

  #get (shardId: string): Node {
    const node = this.#nodes.get(shardId)
    if (node === undefined) throw new RangeError(`unknown shard ${shardId}`)
    return node
  }
}
