import type { ScanCommandOutput } from '@aws-sdk/client-dynamodb'
import type { GetRecordsCommandOutput } from '@aws-sdk/client-dynamodb-streams'

/**
 * The JSON body of a 200 Scan or GetRecords response → the very output the AWS SDK's deserializer builds
 * (without `$metadata`), in one cheap walk: JSON.parse already gave every S, N (as text), BOOL, NULL, SS, NS,
 * M and L in the SDK's shape; only B (base64 text → Uint8Array, as the SDK's) and epoch dates need converting.
 * A nested name `__proto__` stays an own attribute (JSON.parse defines it; the Streams SDK loses its value).
 * Throws on anything it does not recognize, so the caller can hand the body to the SDK instead.
 */

export type ScanWireOutput = Omit<ScanCommandOutput, '$metadata'>
export type GetRecordsWireOutput = Omit<GetRecordsCommandOutput, '$metadata'>

type Json = Record<string, unknown>

class WireShapeError extends Error {}

function fail (what: string): never { throw new WireShapeError(`unexpected wire shape: ${what}`) }

function isObject (v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// The SDK's fromBase64 rejects the same texts (a Buffer would decode them leniently, changing the value).
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Base64 text → bytes as the SDK gives them: a Uint8Array view (not a Buffer). */
export function bytesOf (text: unknown): Uint8Array {
  if (typeof text !== 'string' || (text.length * 3) % 4 !== 0 || !BASE64.test(text)) fail('B is not base64 text')
  const buf = Buffer.from(text, 'base64')
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

/**
 * A wire AttributeValue map, converted in place (its B and BS members become bytes). Shapes that are not
 * attribute values are left as they came, for the codec downstream to reject with its coded error.
 */
export function wireAttributeMap (map: unknown): Record<string, unknown> {
  if (!isObject(map)) fail('an attribute map is not an object')
  for (const k in map) wireAttributeValue(map[k])
  return map
}

function wireAttributeValue (v: unknown): void {
  if (!isObject(v)) return
  if (v.B !== undefined) v.B = bytesOf(v.B)
  else if (isObject(v.M)) wireAttributeMap(v.M)
  else if (Array.isArray(v.L)) for (const x of v.L) wireAttributeValue(x)
  else if (Array.isArray(v.BS)) v.BS = v.BS.map(bytesOf)
}

// Epoch seconds → Date exactly as the SDK rounds them.
function dateOf (v: unknown): Date {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail('ApproximateCreationDateTime is not a number')
  return new Date(Math.round(v * 1000))
}

// Copies the members the SDK's output shape has (it drops unknown ones and nulls).
function pick (from: Json, names: readonly string[], out: Json = {}): Json {
  for (const n of names) {
    const v = from[n]
    if (v !== undefined && v !== null) out[n] = v
  }
  return out
}

const SCAN_PLAIN = ['Count', 'ScannedCount', 'ConsumedCapacity'] as const

/** A Scan response body (parsed JSON) → ScanCommandOutput without $metadata. */
export function decodeScan (body: unknown): ScanWireOutput {
  if (!isObject(body)) fail('the body is not an object')
  const out = pick(body, SCAN_PLAIN)
  if (body.Items !== undefined && body.Items !== null) {
    if (!Array.isArray(body.Items)) fail('Items is not a list')
    for (const item of body.Items) wireAttributeMap(item)
    out.Items = body.Items
  }
  if (body.LastEvaluatedKey !== undefined && body.LastEvaluatedKey !== null) out.LastEvaluatedKey = wireAttributeMap(body.LastEvaluatedKey)
  return out as ScanWireOutput
}

const RECORD_PLAIN = ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'userIdentity'] as const
const STREAM_RECORD_PLAIN = ['SequenceNumber', 'SizeBytes', 'StreamViewType'] as const
const IMAGES = ['Keys', 'NewImage', 'OldImage'] as const

/** A GetRecords response body (parsed JSON) → GetRecordsCommandOutput without $metadata. */
export function decodeGetRecords (body: unknown): GetRecordsWireOutput {
  if (!isObject(body)) fail('the body is not an object')
  const out = pick(body, ['NextShardIterator'])
  if (body.Records !== undefined && body.Records !== null) {
    if (!Array.isArray(body.Records)) fail('Records is not a list')
    out.Records = body.Records.map(decodeRecord)
  }
  return out as GetRecordsWireOutput
}

function decodeRecord (r: unknown): Json {
  if (!isObject(r)) fail('a record is not an object')
  const out = pick(r, RECORD_PLAIN)
  const d = r.dynamodb
  if (d === undefined || d === null) return out
  if (!isObject(d)) fail('dynamodb is not an object')
  const data = pick(d, STREAM_RECORD_PLAIN)
  if (d.ApproximateCreationDateTime !== undefined && d.ApproximateCreationDateTime !== null) data.ApproximateCreationDateTime = dateOf(d.ApproximateCreationDateTime)
  for (const part of IMAGES) if (d[part] !== undefined && d[part] !== null) data[part] = wireAttributeMap(d[part])
  out.dynamodb = data
  return out
}
