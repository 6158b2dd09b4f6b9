import type { StreamViewType } from '@aws-sdk/client-dynamodb'
import { createDynamoDBClient, type ClientOptions } from '../../aws/clients.js'
import { resolveOptions, type OptionSpec } from '../../options/options.js'
import { AWS_SPECS } from '../../options/settings.js'
import { META_COLLECTION, type OpenCDCRecord } from '../../model/record.js'
import { compileRoute } from '../../writable/route.js'
import { prepareDestinationTable, type PreparedTable } from '../../writable/table-setup.js'
import { awsTagLookup, listTableNames, selectTables } from '../../readable/tables/discovery.js'
import { matchesName, resolveTableSelector } from '../../readable/tables/selector.js'
import { DEFAULT_READ_RETRIES } from '../../aws/retry.js'
import { usageError } from '../support/args.js'

const CONNECTION_SPECS: readonly OptionSpec[] = AWS_SPECS.filter((s) => s.name !== 'table' && s.kind !== 'object')
const CONNECTION_KEYS = new Set(CONNECTION_SPECS.flatMap((s) => s.setting !== undefined ? [s.name, s.setting] : [s.name]))

/** The connection part (aws.*, endpoint, credentials) of one side's settings, resolved like the streams resolve it. */
export function connectionOf (settings: Record<string, unknown>, command = 'copy'): ClientOptions {
  const picked = Object.fromEntries(Object.entries(settings).filter(([k]) => CONNECTION_KEYS.has(k)))
  return resolveOptions<ClientOptions>(CONNECTION_SPECS, picked, command)
}

/** The destination table the source's records go to: --to, or --to-template filled with the source's collection (its table name). */
export function destinationTableOf (route: string, sourceTable: string): string {
  const record = { metadata: { [META_COLLECTION]: sourceTable } } as unknown as OpenCDCRecord
  return compileRoute(route).tableOf(record, 0)
}

/** Before the first Scan: the destination exists (or is created like the source) with the source's primary key. */
export async function checkCopyTables (from: Record<string, unknown>, to: Record<string, unknown>, destinationTable: string, opts: { create: boolean, stream?: StreamViewType, signal?: AbortSignal }): Promise<PreparedTable> {
  const sourceClient = createDynamoDBClient(connectionOf(from))
  const destClient = createDynamoDBClient(connectionOf(to))
  try {
    return await prepareDestinationTable({
      source: { client: sourceClient, table: String(from.table) },
      destination: { client: destClient, table: destinationTable },
      create: opts.create,
      ...(opts.stream !== undefined ? { stream: opts.stream } : {}),
      ...(opts.signal !== undefined ? { signal: opts.signal } : {})
    })
  } finally {
    sourceClient.destroy()
    destClient.destroy()
  }
}

/**
 * Before the first Scan of a many-table copy: the tables selected now, each destination checked (or
 * created) like a single copy's. On one endpoint and region a destination must be neither a selected
 * table nor one the selector would pick up later (the copy would read its own writes).
 */
export async function checkManyCopyTables (from: Record<string, unknown>, to: Record<string, unknown>, route: string, samePlace: boolean, opts: { create: boolean, stream?: StreamViewType, signal: AbortSignal }): Promise<Array<{ table: string, destination: string, created: boolean }>> {
  const selector = resolveTableSelector(from.tables)
  const client = createDynamoDBClient(connectionOf(from))
  let picked: string[]
  try {
    picked = await selectTables(await listTableNames(client, DEFAULT_READ_RETRIES, opts.signal), selector, awsTagLookup(client, DEFAULT_READ_RETRIES), opts.signal)
  } finally {
    client.destroy()
  }
  const out = []
  for (const table of picked) {
    const destination = destinationTableOf(route, table)
    if (samePlace && (picked.includes(destination) || matchesName(selector, destination))) {
      throw usageError('copy', `table ${table} would be copied to ${destination} on the same endpoint and region, which the source selects too (it would copy its own writes); choose another --to-template, or another --to-endpoint/--to-region`)
    }
    const prepared = await checkCopyTables({ ...from, table }, to, destination, opts)
    out.push({ table, destination, created: prepared.created })
  }
  return out
}
