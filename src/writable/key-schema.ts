import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { canonicalDecimal, type AttributeMap } from '../model/codec.js'
import { OpenCDCError } from '../errors/index.js'

export type KeyType = 'S' | 'N' | 'B'
export interface KeyAttribute { name: string, type: KeyType }
export interface KeySchema { hash: KeyAttribute, range?: KeyAttribute }

/** Reads the table's primary key (names and scalar types) from DescribeTable. */
export async function describeKeySchema (client: DynamoDBClient, table: string, signal?: AbortSignal): Promise<KeySchema> {
  let out
  try {
    out = await client.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal })
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') {
      throw new OpenCDCError('ERR_DDB_TABLE_NOT_FOUND', `destination table "${table}" does not exist: create it before writing`, { table }, { cause: err })
    }
    throw err
  }
  const types = new Map((out.Table?.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]))
  const attr = (role: 'HASH' | 'RANGE'): KeyAttribute | undefined => {
    const el = out.Table?.KeySchema?.find((k) => k.KeyType === role)
    if (el?.AttributeName === undefined) return undefined
    return { name: el.AttributeName, type: types.get(el.AttributeName) as KeyType }
  }
  const hash = attr('HASH')
  if (hash === undefined) throw new OpenCDCError('ERR_DDB_TABLE_NOT_FOUND', `DescribeTable of "${table}" returned no key schema`, { table })
  const range = attr('RANGE')
  return range === undefined ? { hash } : { hash, range }
}

export function keyAttributes (schema: KeySchema): KeyAttribute[] {
  return schema.range === undefined ? [schema.hash] : [schema.hash, schema.range]
}

/** A string naming one primary key exactly (type-tagged, numbers canonical), for dedupe and per-key order. */
export function keyIdOf (schema: KeySchema, key: AttributeMap): string {
  let id = ''
  for (const attr of keyAttributes(schema)) {
    const v = key[attr.name]
    if (v?.S !== undefined) id += 'S' + v.S
    else if (v?.N !== undefined) id += 'N' + (canonicalDecimal(v.N) ?? v.N)
    else if (v?.B !== undefined) id += 'B' + Buffer.from(v.B).toString('base64')
    else id += '?'
    id += '\u0000'
  }
  return id
}

/** keyIdOf within a table: the same key in two tables is two keys ('' is the destination's one table). */
export function tableKeyId (table: string, schema: KeySchema, key: AttributeMap): string {
  return table === '' ? keyIdOf(schema, key) : table + '\u0001' + keyIdOf(schema, key)
}
