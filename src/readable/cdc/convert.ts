import type { _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import type { AttributeMap } from '../../model/codec.js'
import { isOpenCDCError, OpenCDCError } from '../../errors/index.js'
import { META_COLLECTION, META_CREATED_AT, META_READ_AT, unixNanos, type OpenCDCRecord, type Operation } from '../../model/record.js'
import { fromStreamImage, fromStreamKeys, renderShape } from './image.js'
import { encodeCdcPosition } from './position.js'

export { fromStreamImage, fromStreamKeys }

export const META_EVENT_ID = 'dynamodb.eventId'
export const META_SEQUENCE_NUMBER = 'dynamodb.sequenceNumber'
export const META_SHARD_ID = 'dynamodb.shardId'
/** "true" on deletes made by DynamoDB's TTL process rather than by a client. */
export const META_TTL_DELETE = 'dynamodb.ttlDelete'

const OPERATIONS: Record<string, Operation> = { INSERT: 'create', MODIFY: 'update', REMOVE: 'delete' }

export interface ConvertContext {
  table: string
  shardId: string
  /** When the record was read, in ms since the epoch. */
  readAt: number
}

/** ERR_DDB_INVALID_STREAM_RECORD naming the record (sequence number, shard, table, key, event id) and the rule it breaks. */
export function invalidStreamRecord (ctx: ConvertContext, event: StreamEvent, rule: string, extra: Record<string, unknown> = {}): OpenCDCError {
  const seq = event.dynamodb?.SequenceNumber
  const keys = event.dynamodb?.Keys
  const key = keys !== undefined ? renderKeys(keys as AttributeMap) : undefined
  return new OpenCDCError('ERR_DDB_INVALID_STREAM_RECORD',
    `stream record ${seq !== undefined ? `sequence number ${seq} ` : ''}of shard ${ctx.shardId} (table ${ctx.table}${key !== undefined ? `, key ${key}` : ''}, event ${event.eventID ?? '?'}): ${rule}`,
    { table: ctx.table, shardId: ctx.shardId, sequenceNumber: seq, eventId: event.eventID, key, ...extra })
}

/** Keys as compact JSON, each attribute by its value (`{"id":"k1","n":5}`), or as they came when not well-formed. */
function renderKeys (keys: AttributeMap): string {
  const parts: string[] = []
  for (const name in keys) {
    const v = keys[name] as { S?: unknown, N?: unknown, B?: unknown } | undefined
    const text = typeof v?.S === 'string' ? JSON.stringify(v.S) : typeof v?.N === 'string' ? v.N : v?.B instanceof Uint8Array ? renderShape(v.B) : renderShape(v)
    parts.push(`${JSON.stringify(name)}:${text}`)
  }
  return `{${parts.join(',')}}`
}

// Decodes one part of the record; a value with no known type becomes an error naming the record and the path.
function decode (ctx: ConvertContext, event: StreamEvent, part: 'Keys' | 'NewImage' | 'OldImage', map: AttributeMap): ReturnType<typeof fromStreamImage> {
  try {
    return part === 'Keys' ? fromStreamKeys(map) : fromStreamImage(map)
  } catch (err) {
    if (!isOpenCDCError(err, 'ERR_DDB_INVALID_VALUE')) throw err
    throw invalidStreamRecord(ctx, event, `${part} ${err.message}`, { part, path: err.details?.path, shape: err.details?.shape })
  }
}

/** True for a REMOVE issued by DynamoDB's TTL service. */
export function isTtlDelete (event: StreamEvent): boolean {
  return event.eventName === 'REMOVE' && event.userIdentity?.Type === 'Service' && event.userIdentity.PrincipalId === 'dynamodb.amazonaws.com'
}

/** One DynamoDB Streams record → an OpenCDC record: INSERT → create, MODIFY → update, REMOVE → delete. */
export function toOpenCDC (event: StreamEvent, ctx: ConvertContext): OpenCDCRecord {
  const operation = OPERATIONS[event.eventName ?? '']
  if (operation === undefined) throw invalidStreamRecord(ctx, event, `unknown eventName ${JSON.stringify(event.eventName)} (expected INSERT, MODIFY or REMOVE)`)
  const data = event.dynamodb
  const seq = data?.SequenceNumber
  if (data === undefined || seq === undefined) throw invalidStreamRecord(ctx, event, 'no SequenceNumber')
  if (data.Keys === undefined) throw invalidStreamRecord(ctx, event, 'no Keys')
  const metadata: Record<string, string> = {
    [META_COLLECTION]: ctx.table,
    [META_READ_AT]: unixNanos(ctx.readAt),
    [META_SEQUENCE_NUMBER]: seq,
    [META_SHARD_ID]: ctx.shardId
  }
  if (data.ApproximateCreationDateTime !== undefined) metadata[META_CREATED_AT] = unixNanos(new Date(data.ApproximateCreationDateTime).getTime())
  if (event.eventID !== undefined) metadata[META_EVENT_ID] = event.eventID
  if (isTtlDelete(event)) metadata[META_TTL_DELETE] = 'true'
  const image = (part: 'NewImage' | 'OldImage'): ReturnType<typeof fromStreamImage> | null => data[part] === undefined ? null : decode(ctx, event, part, data[part] as AttributeMap)
  // Built directly (not through createRecord, which copies metadata and the position): one per change on the hot path.
  return {
    position: encodeCdcPosition({ shardId: ctx.shardId, sequenceNumber: seq }),
    operation,
    metadata,
    key: decode(ctx, event, 'Keys', data.Keys as AttributeMap),
    payload: { before: operation === 'create' ? null : image('OldImage'), after: operation === 'delete' ? null : image('NewImage') }
  }
}
