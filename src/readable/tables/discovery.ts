import { DescribeTableCommand, ListTablesCommand, ListTagsOfResourceCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { OpenCDCError } from '../../errors/index.js'
import { retry, retryPolicy } from '../../aws/retry.js'
import { matchesName, matchesTags, type TableSelector } from './selector.js'

/** The tags of one table, as ListTagsOfResource gives them (the ARN from DescribeTable). */
export type TagLookup = (table: string, signal: AbortSignal) => Promise<Record<string, string>>

function failed (what: string, err: unknown, details: Record<string, unknown>): Error {
  if (err instanceof OpenCDCError || (err as Error)?.name === 'AbortError') return err as Error
  const e = err as { name?: string, message?: string }
  return new OpenCDCError('ERR_DDB_TABLE_DISCOVERY_FAILED', `${what}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, details, { cause: err })
}

/** Every table name of the account and region, all ListTables pages. */
export async function listTableNames (client: DynamoDBClient, retries: number, signal: AbortSignal): Promise<string[]> {
  const names: string[] = []
  let start: string | undefined
  do {
    const out = await retry(retryPolicy({ retries }), (s) => client.send(new ListTablesCommand({ ...(start !== undefined ? { ExclusiveStartTableName: start } : {}) }), { abortSignal: s }), signal)
      .catch((err: unknown) => { throw failed('ListTables failed', err, { exclusiveStartTableName: start ?? null }) })
    names.push(...(out.TableNames ?? []))
    start = out.LastEvaluatedTableName
  } while (start !== undefined)
  return names
}

/** Reads a table's tags through DescribeTable (its ARN) and ListTagsOfResource (all pages). */
export function awsTagLookup (client: DynamoDBClient, retries: number): TagLookup {
  return async (table, signal) => {
    const policy = retryPolicy({ retries })
    const described = await retry(policy, (s) => client.send(new DescribeTableCommand({ TableName: table }), { abortSignal: s }), signal)
      .catch((err: unknown) => { throw failed(`DescribeTable of table "${table}" (for its tags) failed`, err, { table }) })
    const arn = described.Table?.TableArn as string
    const tags: Record<string, string> = {}
    let token: string | undefined
    do {
      const out = await retry(policy, (s) => client.send(new ListTagsOfResourceCommand({ ResourceArn: arn, ...(token !== undefined ? { NextToken: token } : {}) }), { abortSignal: s }), signal)
        .catch((err: unknown) => { throw failed(`ListTagsOfResource of table "${table}" failed`, err, { table, arn }) })
      for (const tag of out.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? ''
      token = out.NextToken
    } while (token !== undefined)
    return tags
  }
}

/** The tables the selector picks from `names` (sorted): name rules first, then tags, looked up only for those. */
export async function selectTables (names: readonly string[], selector: TableSelector, tagsOf: TagLookup, signal: AbortSignal): Promise<string[]> {
  const picked: string[] = []
  for (const name of [...names].sort()) {
    if (!matchesName(selector, name)) continue
    if (selector.tags !== undefined && !matchesTags(selector.tags, await tagsOf(name, signal))) continue
    picked.push(name)
  }
  return picked
}
