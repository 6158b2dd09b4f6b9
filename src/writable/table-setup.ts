import { CreateTableCommand, DescribeTableCommand, waitUntilTableExists, type DynamoDBClient, type StreamViewType, type TableDescription } from '@aws-sdk/client-dynamodb'
import { OpenCDCError } from '../errors/index.js'
import { createTableInput, keySchemaMismatch, keySchemaText } from './create-table.js'

export interface PrepareTableOptions {
  /** Where the items come from: its DescribeTable is the model. */
  source: { client: DynamoDBClient, table: string }
  destination: { client: DynamoDBClient, table: string }
  /** Create the destination like the source when it does not exist (else a missing destination fails). */
  create?: boolean
  /** Stream view type of a created table (none by default). */
  stream?: StreamViewType
  /** Longest wait for a created table to become ACTIVE, in seconds (default 300). */
  maxWaitSeconds?: number
  signal?: AbortSignal
}

export interface PreparedTable {
  created: boolean
  source: TableDescription
  destination: TableDescription
}

async function describe (client: DynamoDBClient, table: string, signal?: AbortSignal): Promise<TableDescription | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal })
    return out.Table
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return undefined
    throw err
  }
}

/**
 * Makes sure the destination can take the source's items before anything is read: describes both tables,
 * creates a missing destination like the source (create: true) and waits until it is ACTIVE, and fails
 * with ERR_DDB_KEY_SCHEMA_MISMATCH naming both primary keys when an existing destination has another one.
 */
export async function prepareDestinationTable (opts: PrepareTableOptions): Promise<PreparedTable> {
  const { source, destination, signal } = opts
  const model = await describe(source.client, source.table, signal)
  if (model === undefined) throw new OpenCDCError('ERR_DDB_TABLE_NOT_FOUND', `source table "${source.table}" does not exist`, { table: source.table })
  let existing = await describe(destination.client, destination.table, signal)
  let created = false
  if (existing === undefined) {
    if (opts.create !== true) {
      throw new OpenCDCError('ERR_DDB_TABLE_NOT_FOUND', `destination table "${destination.table}" does not exist: create it with the source's key schema (${keySchemaText(model)}), or let the copy create it (--create-table, createTable: true)`, { table: destination.table })
    }
    try {
      await destination.client.send(new CreateTableCommand(createTableInput(model, destination.table, opts.stream !== undefined ? { stream: opts.stream } : {})), { abortSignal: signal })
      created = true
    } catch (err) {
      // Another process created it meanwhile: check it like any existing table.
      if ((err as { name?: string }).name !== 'ResourceInUseException') {
        throw new OpenCDCError('ERR_DDB_CREATE_TABLE', `creating destination table "${destination.table}" like "${source.table}" failed: ${(err as Error).message}`, { table: destination.table }, { cause: err })
      }
    }
    const maxWaitTime = opts.maxWaitSeconds ?? 300
    try {
      // The SDK's waiter throws when the table is not ACTIVE in time (or the wait is aborted).
      await waitUntilTableExists({ client: destination.client, maxWaitTime, minDelay: 1, maxDelay: 5, ...(signal !== undefined ? { abortSignal: signal } : {}) }, { TableName: destination.table })
    } catch (err) {
      if (signal?.aborted === true) throw err
      throw new OpenCDCError('ERR_DDB_CREATE_TABLE', `destination table "${destination.table}" did not become ACTIVE within ${maxWaitTime} s`, { table: destination.table }, { cause: err })
    }
    existing = await describe(destination.client, destination.table, signal)
    if (existing === undefined) throw new OpenCDCError('ERR_DDB_CREATE_TABLE', `destination table "${destination.table}" vanished after it was created`, { table: destination.table })
  }
  const why = keySchemaMismatch(model, existing)
  if (why !== undefined) {
    throw new OpenCDCError('ERR_DDB_KEY_SCHEMA_MISMATCH', `destination table "${destination.table}" cannot take the items of "${source.table}": ${why}`, {
      source: source.table, destination: destination.table, sourceKey: keySchemaText(model), destinationKey: keySchemaText(existing)
    })
  }
  return { created, source: model, destination: existing }
}
