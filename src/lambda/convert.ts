import type { _Record as StreamEvent, AttributeValue } from '@aws-sdk/client-dynamodb-streams'
import { pathOf, type Trail } from '../model/codec.js'
import { setOwn } from '../model/own-property.js'
import type { OpenCDCRecord } from '../model/record.js'
import { invalidStreamRecord, META_SHARD_ID, toOpenCDC, type ConvertContext } from '../readable/cdc/convert.js'
import { filterStreamEvent } from '../readable/cdc/filtered.js'
import type { ChangeFilter } from '../filter/change.js'
import type { LambdaAttributeValue, LambdaStreamRecord } from './event.js'

/** The stream a Lambda record came from (Lambda names no shard). */
export const META_STREAM_ARN = 'dynamodb.streamArn'

const STREAM_ARN = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\/[^/]+$/
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** The table named by a stream ARN, or undefined when the text is not a DynamoDB stream ARN. */
export function tableOfStreamArn (arn: unknown): string | undefined {
  return typeof arn === 'string' ? STREAM_ARN.exec(arn)?.[1] : undefined
}

class BadBase64 extends Error {
  constructor (readonly path: string) { super(path) }
}

function bytes (text: unknown, trail: Trail): Buffer {
  // Buffer.from(…, 'base64') skips characters it does not know: check first, never decode garbage quietly.
  if (typeof text !== 'string' || !BASE64.test(text)) throw new BadBase64(pathOf('', trail))
  return Buffer.from(text, 'base64')
}

// Lambda's JSON carries binaries as base64 text, GetRecords' SDK as bytes: decode B and BS at any depth, copy the rest.
function value (v: LambdaAttributeValue, trail: Trail): AttributeValue {
  if (typeof v !== 'object' || v === null) return v as AttributeValue
  if (v.B !== undefined && v.S === undefined && v.N === undefined) return { ...v, B: bytes(v.B, trail) } as AttributeValue
  if (v.BS !== undefined && Array.isArray(v.BS)) return { ...v, BS: v.BS.map((b, i) => { trail.push(i); const out = bytes(b, trail); trail.pop(); return out }) } as AttributeValue
  if (Array.isArray(v.L)) {
    const list = v.L.map((x, i) => { trail.push(i); const out = value(x, trail); trail.pop(); return out })
    return { ...v, L: list } as AttributeValue
  }
  if (typeof v.M === 'object' && v.M !== null && !Array.isArray(v.M)) return { ...v, M: image(v.M, trail) } as AttributeValue
  return v as AttributeValue
}

function image (map: Record<string, LambdaAttributeValue>, trail: Trail = []): Record<string, AttributeValue> {
  if (typeof map !== 'object' || map === null) return map
  const out: Record<string, AttributeValue> = {}
  for (const k in map) {
    trail.push(k)
    setOwn(out, k, value(map[k] as LambdaAttributeValue, trail))
    trail.pop()
  }
  return out
}

/** A Lambda stream record in the shape GetRecords' SDK gives (bytes, a Date, UserIdentity), so the CDC reader's conversion applies as is. */
export function toSdkStreamRecord (record: LambdaStreamRecord, ctx: ConvertContext): StreamEvent {
  const data = record.dynamodb
  const user = record.userIdentity as { type?: string, principalId?: string } | undefined
  let part: 'Keys' | 'NewImage' | 'OldImage' = 'Keys'
  try {
    const sdkData = data === undefined ? undefined : {
      ...data,
      ApproximateCreationDateTime: typeof data.ApproximateCreationDateTime === 'number' ? new Date(data.ApproximateCreationDateTime * 1000) : undefined,
      Keys: data.Keys === undefined ? undefined : image(data.Keys),
      NewImage: data.NewImage === undefined ? undefined : (part = 'NewImage', image(data.NewImage)),
      OldImage: data.OldImage === undefined ? undefined : (part = 'OldImage', image(data.OldImage))
    }
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: record.eventVersion,
      eventSource: record.eventSource,
      awsRegion: record.awsRegion,
      dynamodb: sdkData,
      userIdentity: user === undefined || user === null ? undefined : { Type: user.type, PrincipalId: user.principalId }
    }
  } catch (err) {
    if (!(err instanceof BadBase64)) throw err
    throw invalidStreamRecord(ctx, record as StreamEvent, `${part} attribute ${err.path} is a binary whose text is not base64`, { part, path: err.path })
  }
}

/**
 * One Lambda stream record → an OpenCDC record, by the CDC reader's mapping (metadata, TTL-delete flag,
 * the `{}` empty map). Lambda names no shard: the position's shard is the stream ARN, so
 * decodeCdcPosition reads it, and metadata carries dynamodb.streamArn instead of dynamodb.shardId.
 */
export function fromLambdaRecord (record: LambdaStreamRecord, readAt: number): OpenCDCRecord
/** With a filter (and/or projection): the record it becomes, or undefined when it stays out of the filter (the CDC reader's semantics). */
export function fromLambdaRecord (record: LambdaStreamRecord, readAt: number, filter: ChangeFilter | undefined): OpenCDCRecord | undefined
export function fromLambdaRecord (record: LambdaStreamRecord, readAt: number, filter?: ChangeFilter): OpenCDCRecord | undefined {
  const arn = record.eventSourceARN
  const table = tableOfStreamArn(arn)
  const ctx: ConvertContext = { table: table ?? '?', shardId: typeof arn === 'string' && arn !== '' ? arn : '?', readAt }
  if (table === undefined) {
    throw invalidStreamRecord(ctx, record as StreamEvent, `eventSourceARN ${JSON.stringify(arn)} is not a DynamoDB stream ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL)`)
  }
  const sdk = toSdkStreamRecord(record, ctx)
  const event = filter === undefined ? sdk : filterStreamEvent(sdk, filter, ctx)
  if (event === undefined) return undefined
  const out = toOpenCDC(event, ctx)
  const { [META_SHARD_ID]: _shard, ...metadata } = out.metadata
  metadata[META_STREAM_ARN] = ctx.shardId
  out.metadata = metadata
  return out
}
