import { OpenCDCError } from '../../errors/index.js'
import { resolveOptions, type OptionSpec } from '../../options/options.js'
import type { Duration } from '../../options/input.js'
import { resolveSourceOptions, SOURCE_SPECS, type SourceInput, type SourceOptions } from '../options.js'
import type { CheckpointStore } from '../../checkpoint/stores.js'
import { resolveTableSelector, type TableSelector, type TableSelectorInput } from './selector.js'
import type { JoinMode } from './sections.js'

/** A many-table source's own options (the rest are a single-table source's, applied to every table). */
export const TABLES_SPECS: readonly OptionSpec[] = [
  { name: 'tables', kind: 'object', required: true, doc: 'The tables to read: a list of names, or a selector { include, prefix, regex, tags } (tags: "k1:v1,v2;k2:v3", OR within a key, AND across keys).' },
  { name: 'tableDiscoveryInterval', setting: 'tables.discoveryInterval', kind: 'duration', min: 0, default: 60_000, doc: 'How often ListTables (and ListTagsOfResource for tags) looks for tables that joined or left the selection (0: only at the start).' },
  { name: 'newTables', setting: 'tables.new', kind: 'string', default: 'snapshot', doc: 'How a table found after the start joins: "snapshot" (a snapshot, then its changes) or "changes" (its changes from then on).' }
]

/** What createSource accepts for many tables: a single-table source's options without `table`, plus `tables`. */
export type TablesSourceInput = Omit<SourceInput, 'table'> & {
  tables: readonly string[] | TableSelectorInput
  tableDiscoveryInterval?: Duration
  newTables?: JoinMode
}

export interface TablesSourceOptions {
  selector: TableSelector
  tableDiscoveryInterval: number
  newTables: JoinMode
  /** The options of every table's source, as given (without the table and the many-table options). */
  perTable: Record<string, unknown>
  /** The same, resolved once (defaults applied, credentials hidden): for the shared clients and checks. */
  resolved: SourceOptions
  checkpointStore?: CheckpointStore
  checkpoint?: string
}

function invalid (option: string, message: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_OPTION', `DynamoDB source: ${message}`, { option })
}

/** Names and settings a spec answers to (its camelCase name and its dotted setting). */
function keysOf (specs: readonly OptionSpec[], names: readonly string[]): string[] {
  return specs.filter((s) => names.includes(s.name)).flatMap((s) => s.setting !== undefined ? [s.name, s.setting] : [s.name])
}

/** Splits and validates a many-table source's options; throws ERR_DDB_INVALID_OPTION naming the option. */
export function resolveTablesOptions (input: Record<string, unknown>): TablesSourceOptions {
  if (input.table !== undefined) throw invalid('table', '"table" takes one table and "tables" many; give only one of them')
  const own = new Set(keysOf(TABLES_SPECS, TABLES_SPECS.map((s) => s.name)))
  const mine = resolveOptions<{ tables: unknown, tableDiscoveryInterval: number, newTables: string }>(TABLES_SPECS, Object.fromEntries(Object.entries(input).filter(([k]) => own.has(k))), 'DynamoDB source')
  if (mine.newTables !== 'snapshot' && mine.newTables !== 'changes') throw invalid('newTables', `newTables: expected "snapshot" or "changes", got ${JSON.stringify(mine.newTables)}`)
  const perTable = Object.fromEntries(Object.entries(input).filter(([k]) => !own.has(k)))
  const resolved = resolveSourceOptions({ ...perTable, table: 'many-tables' })
  delete (resolved as Partial<SourceOptions>).table // each table's source gets its own
  if (resolved.snapshotWorker !== undefined) throw invalid('snapshotWorker', 'snapshotWorker shards one table\'s snapshot across processes; it does not apply to many tables')
  // The checkpoint is split into one section per table by the many-table source, never handed on whole.
  for (const key of keysOf(SOURCE_SPECS, ['checkpoint', 'checkpointStore'])) delete perTable[key]
  return {
    selector: resolveTableSelector(mine.tables),
    tableDiscoveryInterval: mine.tableDiscoveryInterval,
    newTables: mine.newTables,
    perTable,
    resolved,
    ...(resolved.checkpointStore !== undefined ? { checkpointStore: resolved.checkpointStore } : {}),
    ...(resolved.checkpoint !== undefined ? { checkpoint: resolved.checkpoint } : {})
  }
}

/** A table source's input: the shared options, its table, the shared clients, its checkpoint section and how it joined. */
export function tableInput (o: TablesSourceOptions, table: string, extra: { client: object, streamsClient?: object, checkpointStore?: CheckpointStore, mode: JoinMode }): Record<string, unknown> {
  const input: Record<string, unknown> = { ...o.perTable, table, client: extra.client }
  if (extra.streamsClient !== undefined) input.streamsClient = extra.streamsClient
  if (extra.checkpointStore !== undefined) input.checkpointStore = extra.checkpointStore
  if (extra.mode === 'changes') {
    for (const key of keysOf(SOURCE_SPECS, ['skipSnapshot'])) delete input[key]
    input.skipSnapshot = true
  }
  return input
}
