/**
 * The highest contiguous acknowledged point per lane (a scan segment or a shard). Points are
 * registered in emit order; acks may arrive in any order; the frontier only moves over a prefix
 * in which every point is acknowledged — what a checkpoint may safely store.
 */
export class ContiguousTracker<T> {
  #lanes = new Map<string, { pending: Array<{ seq: number, point: T, acked: boolean }>, frontier: T | undefined, next: number }>()

  #lane (lane: string): { pending: Array<{ seq: number, point: T, acked: boolean }>, frontier: T | undefined, next: number } {
    let state = this.#lanes.get(lane)
    if (state === undefined) {
      state = { pending: [], frontier: undefined, next: 0 }
      this.#lanes.set(lane, state)
    }
    return state
  }

  /** Registers the next point of a lane; returns its sequence number within the lane. */
  track (lane: string, point: T): number {
    const state = this.#lane(lane)
    const seq = state.next++
    state.pending.push({ seq, point, acked: false })
    return seq
  }

  /** Acknowledges a tracked point; returns true when the lane's frontier moved. */
  ack (lane: string, seq: number): boolean {
    const state = this.#lanes.get(lane)
    if (state === undefined) throw new RangeError(`ack for unknown lane ${lane}`)
    if (!Number.isInteger(seq) || seq < 0 || seq >= state.next) throw new RangeError(`ack for untracked point ${seq} of lane ${lane}`)
    const head = state.pending[0]
    if (head === undefined || seq < head.seq) return false // already acknowledged
    const entry = state.pending[seq - head.seq]
    if (entry === undefined) throw new RangeError(`ack for untracked point ${seq} of lane ${lane}`)
    entry.acked = true
    let moved = false
    while (state.pending.length > 0 && (state.pending[0] as { acked: boolean }).acked) {
      state.frontier = (state.pending.shift() as { point: T }).point
      moved = true
    }
    return moved
  }

  /** The last point of the lane's fully acknowledged prefix, or undefined if none yet. */
  frontier (lane: string): T | undefined { return this.#lanes.get(lane)?.frontier }

  /** Points tracked but not yet covered by the frontier. */
  pending (lane?: string): number {
    if (lane !== undefined) return this.#lanes.get(lane)?.pending.length ?? 0
    let n = 0
    for (const s of this.#lanes.values()) n += s.pending.length
    return n
  }

  lanes (): string[] { return [...this.#lanes.keys()] }
}
