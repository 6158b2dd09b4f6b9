import { OpenCDCError } from '../../errors/index.js'
import type { CheckpointStore } from '../../checkpoint/stores.js'

/** How a table joined the source: with a snapshot, or its changes only (kept so a resume does not snapshot it). */
export type JoinMode = 'snapshot' | 'changes'

interface Section { mode: JoinMode, checkpoint?: unknown }

/** A many-table checkpoint: one document, one section per table (each section is a single-table source's document). */
export interface TablesCheckpoint {
  v: 1
  kind: 'tables'
  tables: Record<string, Section>
}

/**
 * Splits one checkpoint store into a view per table. Each table's source saves its own document through
 * its view; the whole document is saved after each change, in order, so no save can undo a newer one.
 */
export class CheckpointSections {
  #store: CheckpointStore<TablesCheckpoint>
  #label: string
  #doc: TablesCheckpoint = { v: 1, kind: 'tables', tables: {} }
  #chain: Promise<void> = Promise.resolve()

  constructor (store: CheckpointStore<any>, label: string) {
    this.#store = store
    this.#label = label
  }

  async load (): Promise<void> {
    const loaded = await this.#store.load() as Partial<TablesCheckpoint> | undefined | null
    if (loaded === undefined || loaded === null) return
    if (typeof loaded !== 'object' || loaded.v !== 1 || loaded.kind !== 'tables' || typeof loaded.tables !== 'object' || loaded.tables === null) {
      const what = typeof (loaded as { table?: unknown }).table === 'string' ? `is the checkpoint of the single table ${JSON.stringify((loaded as { table: string }).table)}` : 'is not a many-table checkpoint ({"v":1,"kind":"tables","tables":{…}})'
      throw new OpenCDCError('ERR_DDB_CHECKPOINT_MISMATCH', `checkpoint ${this.#label} ${what}; use another file for a many-table source`, { checkpoint: this.#label })
    }
    this.#doc = loaded as TablesCheckpoint
  }

  /** Tables with a section, and how each joined. */
  get tables (): Record<string, JoinMode> {
    return Object.fromEntries(Object.entries(this.#doc.tables).map(([name, s]) => [name, s.mode]))
  }

  /** The store a table's source uses; creates the table's section (saved with its first save). */
  view (table: string, mode: JoinMode): CheckpointStore {
    const section = (this.#doc.tables[table] ??= { mode })
    return {
      load: async () => section.checkpoint,
      save: async (checkpoint) => { section.checkpoint = checkpoint; await this.#save() },
      clear: async () => { delete section.checkpoint; await this.#save() }
    }
  }

  /** Forgets a removed table, so a new table of the same name starts afresh. */
  async remove (table: string): Promise<void> {
    if (!Object.hasOwn(this.#doc.tables, table)) return
    delete this.#doc.tables[table]
    await this.#save()
  }

  #save (): Promise<void> {
    const next = this.#chain.then(async () => { await this.#store.save(structuredClone(this.#doc)) })
    this.#chain = next.catch(() => {})
    return next
  }
}
