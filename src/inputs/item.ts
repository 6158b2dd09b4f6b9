import { OpenCDCError } from '../errors/index.js'
import { fromDynamoJSON } from '../model/dynamodb-json.js'
import { META_COLLECTION, META_READ_AT, unixNanos, type OpenCDCRecord, type StructuredData } from '../model/record.js'
import { describeInputPosition, encodeInputPosition, type InputPosition } from './position.js'

export interface ItemRecordOptions {
  /** Attribute names copied from the item into `record.key`; without them the key is null (the destination takes it from payload.after). */
  keyNames?: readonly string[]
  /** `opencdc.collection` metadata (the table the items came from), when known. */
  collection?: string
}

/** A bad item or line, named by file, line or page/item and the rule. */
export function inputError (where: InputPosition, rule: string, cause?: unknown): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_INPUT', `${describeInputPosition(where)}: ${rule}`, { ...where }, cause !== undefined ? { cause } : undefined)
}

/** One DynamoDB JSON item ({"id":{"S":"a"},…}) → a typed, lossless snapshot record at its input position. */
export function itemRecord (json: unknown, where: InputPosition, options: ItemRecordOptions, field = 'item'): OpenCDCRecord {
  let after: StructuredData
  try {
    after = fromDynamoJSON(json, field)
  } catch (err) {
    throw inputError(where, (err as Error).message, err)
  }
  let key: StructuredData | null = null
  if (options.keyNames !== undefined && options.keyNames.length > 0) {
    key = {}
    for (const name of options.keyNames) {
      const v = after[name]
      if (v === undefined) throw inputError(where, `the item has no key attribute "${name}" (keyNames)`)
      key[name] = v
    }
  }
  const metadata: Record<string, string> = { [META_READ_AT]: unixNanos() }
  if (options.collection !== undefined) metadata[META_COLLECTION] = options.collection
  return { position: encodeInputPosition(where), operation: 'snapshot', metadata, key, payload: { before: null, after } }
}

/**
 * One line of a DynamoDB export data file (DYNAMODB_JSON: {"Item":{…}}) → a record. Incremental exports
 * (Keys/NewImage/OldImage lines) are named, not guessed at.
 */
export function exportLineRecord (doc: unknown, where: InputPosition, options: ItemRecordOptions): OpenCDCRecord {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw inputError(where, 'an export line must be an object like {"Item":{…}}')
  const keys = Object.keys(doc)
  if (keys.length === 1 && keys[0] === 'Item') return itemRecord((doc as { Item: unknown }).Item, where, options, 'Item')
  if (keys.includes('NewImage') || keys.includes('Keys')) throw inputError(where, 'this is an incremental export line (Keys/NewImage/OldImage); only full exports are read')
  throw inputError(where, `an export line must hold exactly one "Item", found ${keys.length === 0 ? 'no keys' : keys.map((k) => JSON.stringify(k)).join(', ')}`)
}
