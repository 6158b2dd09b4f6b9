import { OpenCDCError } from '../../errors/index.js'
import { resolveTableSelector, type TableSelectorInput } from '../../readable/tables/selector.js'
import type { Readable } from 'node:stream'
import type { TableEvent } from '../../readable/tables/source.js'
import { usageError } from './args.js'
import type { Ui } from './ui.js'
import type { Flag } from './flags.js'

/** The many-table flags (read, copy); applyTablesFlags turns them into one `tables` selector. */
export const TABLES_FLAGS: readonly Flag[] = [
  { name: 'tables', value: 'a,b,c', help: 'read these tables in one run (records carry opencdc.collection = table)' },
  { name: 'table-prefix', value: 'P', help: 'read every table whose name starts with P (ListTables, again every\n-s tables.discoveryInterval=1m: new tables join, deleted ones end)' },
  { name: 'table-regex', value: 'R', help: 'read every table whose name matches R (with --table-prefix: both)' },
  { name: 'table-tags', value: 'F', help: "only tables with these tags: 'env:prod,qa;team:data' (OR within a key,\nAND across keys); tables joining later: -s tables.new=snapshot|changes" }
]

export interface TablesFlagValues { tables?: string, 'table-prefix'?: string, 'table-regex'?: string, 'table-tags'?: string }

/**
 * Turns the many-table flags into the source's `tables` selector (checked now, as usage errors); false
 * when none is given. With --table (or --from) it is a usage error: one names one table, the other many.
 */
export function applyTablesFlags (command: string, settings: Record<string, unknown>, values: TablesFlagValues, single: string): boolean {
  const selector: { -readonly [K in keyof TableSelectorInput]: TableSelectorInput[K] } = {}
  if (values.tables !== undefined) selector.include = values.tables.split(',').map((t) => t.trim())
  if (values['table-prefix'] !== undefined) selector.prefix = values['table-prefix']
  if (values['table-regex'] !== undefined) selector.regex = values['table-regex']
  if (values['table-tags'] !== undefined) selector.tags = values['table-tags']
  if (Object.keys(selector).length === 0) return false
  if (settings.table !== undefined) throw usageError(command, `${single} names one table and --tables/--table-prefix/--table-regex/--table-tags many; give only one kind`)
  try {
    resolveTableSelector(selector)
  } catch (err) {
    if (err instanceof OpenCDCError) throw usageError(command, err.message.replace(/^DynamoDB source: /, ''))
    throw err
  }
  settings.tables = selector
  return true
}

/** Logs the tables that join or leave a many-table source (a single-table source emits no 'table' event). */
export function logTableEvents (source: Readable, ui: Ui): void {
  source.on('table', (e: TableEvent) => {
    if (e.action === 'added') ui.log.info(`table ${e.table} joined (${e.mode === 'changes' ? 'changes only' : 'snapshot, then changes'})`)
    else ui.log.warn(`table ${e.table} left: ${e.reason ?? 'removed'}`)
  })
}
