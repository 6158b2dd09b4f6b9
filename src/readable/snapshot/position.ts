import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { OpenCDCError } from '../../errors/index.js'
import { setOwn } from '../../model/own-property.js'

/** A primary key in DynamoDB JSON: each key attribute as {"S": text}, {"N": text} or {"B": base64}. */
export type KeyJSON = Record<string, { S: string } | { N: string } | { B: string }>

/**
 * Where a snapshot record sits: its scan segment (of totalSegments) and its own primary key, which is
 * also the ExclusiveStartKey that resumes the segment right after it.
 */
export interface SnapshotPosition {
  kind: 'snapshot'
  segment: number
  totalSegments: number
  key: KeyJSON
}

export const POSITION_VERSION = 1

/**
 * Positions are UTF-8 JSON with a version and a kind first, so other phases (CDC) add their own kinds:
 * {"v":1,"kind":"snapshot","s":2,"n":4,"k":{"id":{"S":"a"}}}
 */
export function encodeSnapshotPosition (segment: number, totalSegments: number, key: KeyJSON): Buffer {
  // Built as text: this runs once per item on the snapshot's hot path.
  return Buffer.from(`{"v":${POSITION_VERSION},"kind":"snapshot","s":${segment},"n":${totalSegments},"k":${JSON.stringify(key)}}`)
}

/**
 * Positions of one segment's items, built straight from each item's key attributes: the same bytes as
 * encodeSnapshotPosition(segment, total, keyToJSON(item, keyNames)) without the KeyJSON in between.
 */
export class SnapshotPositionEncoder {
  readonly #prefix: string
  readonly #names: ReadonlyArray<readonly [string, string]>

  constructor (segment: number, totalSegments: number, keyNames: readonly string[]) {
    this.#prefix = `{"v":${POSITION_VERSION},"kind":"snapshot","s":${segment},"n":${totalSegments},"k":{`
    this.#names = keyNames.map((name, i) => [name, `${i > 0 ? ',' : ''}${JSON.stringify(name)}:{"`] as const)
  }

  encode (item: Record<string, AttributeValue>): Buffer {
    let text = this.#prefix
    for (const [name, quoted] of this.#names) {
      const v = item[name]
      if (v?.S !== undefined) text += `${quoted}S":${JSON.stringify(v.S)}}`
      else if (v?.N !== undefined) text += `${quoted}N":${JSON.stringify(v.N)}}`
      else if (v?.B !== undefined) text += `${quoted}B":"${Buffer.from(v.B.buffer, v.B.byteOffset, v.B.byteLength).toString('base64')}"}`
      else throw missingKey(name)
    }
    return Buffer.from(text + '}}')
  }
}

function invalid (position: Uint8Array | string, rule: string): OpenCDCError {
  const text = typeof position === 'string' ? position : Buffer.from(position).toString('utf8')
  return new OpenCDCError('ERR_DDB_INVALID_POSITION', `position ${JSON.stringify(text.slice(0, 200))} ${rule}`, { position: text.slice(0, 200) })
}

function parse (position: Uint8Array | string): Record<string, unknown> {
  const text = typeof position === 'string' ? position : Buffer.from(position.buffer, position.byteOffset, position.byteLength).toString('utf8')
  let doc: unknown
  try { doc = JSON.parse(text) } catch { throw invalid(position, 'is not a dynamodb-opencdc position (not JSON)') }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(position, 'is not a dynamodb-opencdc position (not a JSON object)')
  const v = (doc as { v?: unknown }).v
  if (v !== POSITION_VERSION) throw invalid(position, `has version ${JSON.stringify(v)}; this release reads version ${POSITION_VERSION}`)
  if (typeof (doc as { kind?: unknown }).kind !== 'string') throw invalid(position, 'has no "kind"')
  return doc as Record<string, unknown>
}

/** The kind of a position ("snapshot", or a kind another phase registers); throws ERR_DDB_INVALID_POSITION when it is not ours. */
export function positionKind (position: Uint8Array | string): string {
  return parse(position).kind as string
}

export function decodeSnapshotPosition (position: Uint8Array | string): SnapshotPosition {
  const doc = parse(position)
  if (doc.kind !== 'snapshot') throw invalid(position, `is a ${String(doc.kind)} position, not a snapshot position`)
  const { s, n, k } = doc
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1_000_000) throw invalid(position, 'has no valid total segment count "n" (1 to 1000000)')
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s >= n) throw invalid(position, `has no valid segment "s" (0 to ${n - 1})`)
  return { kind: 'snapshot', segment: s, totalSegments: n, key: checkKeyJSON(k, position) }
}

function checkKeyJSON (k: unknown, position: Uint8Array | string): KeyJSON {
  if (typeof k !== 'object' || k === null || Array.isArray(k)) throw invalid(position, 'has no key "k"')
  const entries = Object.entries(k)
  if (entries.length < 1 || entries.length > 2) throw invalid(position, 'has a key "k" with neither 1 nor 2 attributes')
  for (const [name, value] of entries) {
    const typed = typeof value === 'object' && value !== null ? Object.entries(value) : []
    const [type, text] = typed[0] ?? []
    if (typed.length !== 1 || !(type === 'S' || type === 'N' || type === 'B') || typeof text !== 'string') {
      throw invalid(position, `has key attribute ${JSON.stringify(name)} that is not {"S"|"N"|"B": text}`)
    }
  }
  return k as KeyJSON
}

function missingKey (name: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_KEY', `item has no scalar key attribute ${JSON.stringify(name)}`, { attribute: name })
}

/** The key attributes of an item (AttributeValue form) → KeyJSON. */
export function keyToJSON (item: Record<string, AttributeValue>, keyNames: readonly string[]): KeyJSON {
  const out: KeyJSON = {}
  for (const name of keyNames) {
    const v = item[name]
    // setOwn: a key attribute may be called __proto__, which plain assignment would drop.
    if (v?.S !== undefined) setOwn<KeyJSON[string]>(out, name, { S: v.S })
    else if (v?.N !== undefined) setOwn<KeyJSON[string]>(out, name, { N: v.N })
    else if (v?.B !== undefined) setOwn<KeyJSON[string]>(out, name, { B: Buffer.from(v.B.buffer, v.B.byteOffset, v.B.byteLength).toString('base64') })
    else throw missingKey(name)
  }
  return out
}

/** KeyJSON → AttributeValue map, as Scan's ExclusiveStartKey wants it. */
export function keyFromJSON (key: KeyJSON): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {}
  for (const [name, v] of Object.entries(key)) {
    if ('S' in v) setOwn<AttributeValue>(out, name, { S: v.S })
    else if ('N' in v) setOwn<AttributeValue>(out, name, { N: v.N })
    else setOwn<AttributeValue>(out, name, { B: Buffer.from(v.B, 'base64') })
  }
  return out
}

/** What ack() takes on every stream: a record it emitted (or a copy) or that record's position; returns the position as a Buffer. */
export function ackedPosition (record: { position?: unknown } | Uint8Array): Buffer {
  const position = record instanceof Uint8Array ? record : (record as { position?: unknown } | null)?.position
  if (!(position instanceof Uint8Array)) {
    throw new OpenCDCError('ERR_DDB_INVALID_ACK', 'ack: expected a record emitted by this stream (or its position Buffer)')
  }
  return Buffer.isBuffer(position) ? position : Buffer.from(position.buffer, position.byteOffset, position.byteLength)
}
