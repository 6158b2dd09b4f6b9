import { ContiguousTracker } from './tracker.js'

interface Ticket { lane: string, seq: number }

/**
 * Which emitted records are still unacknowledged, keyed by position. Records are tracked per lane (a
 * scan segment, a shard) in emit order; an ack may come in any order, and when it moves the lane's
 * contiguous acknowledged frontier, `moved(lane, frontier)` tells the owner what the checkpoint may store.
 */
export class AckLedger<P> {
  #tracker = new ContiguousTracker<P>()
  #tickets = new Map<string, Ticket | Ticket[]>()
  #unacked = 0
  #moved: (lane: string, frontier: P) => void

  constructor (moved: (lane: string, frontier: P) => void) { this.#moved = moved }

  /** Records tracked and not yet acknowledged. */
  get unacked (): number { return this.#unacked }

  /** Tracks an emitted record by its position's identity (`id`); the same position may be tracked twice. */
  track (lane: string, point: P, id: string): void {
    const ticket = { lane, seq: this.#tracker.track(lane, point) }
    const had = this.#tickets.get(id)
    this.#tickets.set(id, had === undefined ? ticket : Array.isArray(had) ? [...had, ticket] : [had, ticket])
    this.#unacked++
  }

  /** Tracks a point that carries no record (a page end, a finished segment): it counts once everything before it is acknowledged. */
  mark (lane: string, point: P): void {
    this.#advance(lane, this.#tracker.ack(lane, this.#tracker.track(lane, point)))
  }

  /** Acknowledges the oldest pending record with this position; false when none is pending. */
  ack (id: string): boolean {
    const had = this.#tickets.get(id)
    if (had === undefined) return false
    let ticket: Ticket
    if (Array.isArray(had)) {
      ticket = had[0] as Ticket
      this.#tickets.set(id, had.length > 2 ? had.slice(1) : had[1] as Ticket)
    } else {
      ticket = had
      this.#tickets.delete(id)
    }
    this.#unacked--
    this.#advance(ticket.lane, this.#tracker.ack(ticket.lane, ticket.seq))
    return true
  }

  /** The last point of the lane's acknowledged prefix. */
  frontier (lane: string): P | undefined { return this.#tracker.frontier(lane) }

  /** Points of the lane tracked and not yet inside the frontier. */
  pending (lane: string): number { return this.#tracker.pending(lane) }

  #advance (lane: string, moved: boolean): void {
    if (moved) this.#moved(lane, this.#tracker.frontier(lane) as P)
  }
}

/** The ledger identity of a position's bytes. */
export function positionId (position: Uint8Array): string {
  return Buffer.from(position.buffer, position.byteOffset, position.byteLength).toString('latin1')
}
