/**
 * Scan requests in flight shared by several snapshot engines (the tables of a many-table source), so
 * snapshotConcurrency caps them all together. An engine that finds no free slot waits to be woken.
 */
export class ScanSlots {
  #free: number
  #waiters = new Set<() => void>()

  constructor (size: number) { this.#free = size }

  /** Takes a slot, or registers `wake` to be called when one is given back. */
  take (wake: () => void): boolean {
    if (this.#free > 0) { this.#free--; return true }
    this.#waiters.add(wake)
    return false
  }

  give (): void {
    this.#free++
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const wake of waiters) wake()
  }

  forget (wake: () => void): void { this.#waiters.delete(wake) }
}

/** The key under which a many-table source hands its tables' sources the shared slots (a symbol: never an option). */
export const kScanSlots = Symbol('dynamodb-opencdc.scanSlots')
