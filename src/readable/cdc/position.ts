import { OpenCDCError } from '../../errors/index.js'

/** Where a CDC record sits: a shard of a stream and the record's sequence number in it. */
export interface CdcPosition {
  kind: 'cdc'
  shardId: string
  sequenceNumber: string
}

const VERSION = 1

/** A CDC position as the bytes of an OpenCDC record's position: versioned JSON, readable in logs. */
export function encodeCdcPosition (position: Omit<CdcPosition, 'kind'>): Buffer {
  // Same text as JSON.stringify({ v, kind, shard, seq }), built without an intermediate object (one per record).
  return Buffer.from(`{"v":${VERSION},"kind":"cdc","shard":${JSON.stringify(position.shardId)},"seq":${JSON.stringify(position.sequenceNumber)}}`)
}

function bad (text: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_POSITION', `position ${JSON.stringify(text.slice(0, 200))} is not a CDC position: ${rule}`, { position: text.slice(0, 200) })
}

/** Parses a position produced by encodeCdcPosition; throws ERR_DDB_INVALID_POSITION saying what is wrong. */
export function decodeCdcPosition (position: Uint8Array | string): CdcPosition {
  const text = typeof position === 'string' ? position : Buffer.from(position.buffer, position.byteOffset, position.byteLength).toString('utf8')
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw bad(text, 'not JSON')
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad(text, 'not a JSON object')
  const o = doc as Record<string, unknown>
  if (o.kind !== 'cdc') throw bad(text, `kind is ${JSON.stringify(o.kind)}, expected "cdc"`)
  if (o.v !== VERSION) throw bad(text, `version ${JSON.stringify(o.v)} is not supported (expected ${VERSION})`)
  if (typeof o.shard !== 'string' || o.shard === '') throw bad(text, 'shard must be a non-empty string')
  if (typeof o.seq !== 'string' || !/^\d+$/.test(o.seq)) throw bad(text, 'seq must be a decimal sequence number')
  return { kind: 'cdc', shardId: o.shard, sequenceNumber: o.seq }
}

/** Orders two sequence numbers of the same shard (decimal strings of up to 40 digits). */
export function compareSequenceNumbers (a: string, b: string): number {
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}
