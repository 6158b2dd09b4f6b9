import { OpenCDCError } from '../../errors/index.js'

/**
 * A many-table source's position: the table and, embedded verbatim, the position its table's source gave
 * (so ack() hands that source the exact bytes it tracks): {"v":1,"kind":"table","t":"orders","p":{…}}.
 * Two tables may give equal inner positions (same segment and key), so the table is part of the bytes.
 */
export function encodeTablePosition (table: string, inner: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(prefix(table)), inner, CLOSE])
}

const CLOSE = Buffer.from('}')
const prefix = (table: string): string => `{"v":1,"kind":"table","t":${JSON.stringify(table)},"p":`

function bad (text: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_POSITION', `position ${JSON.stringify(text.slice(0, 200))} is not a many-table position: ${rule}`, { position: text.slice(0, 200) })
}

/** The table and the inner position bytes; throws ERR_DDB_INVALID_POSITION saying what is wrong. */
export function decodeTablePosition (position: Uint8Array): { table: string, inner: Buffer } {
  const bytes = Buffer.from(position.buffer, position.byteOffset, position.byteLength)
  const text = bytes.toString('utf8')
  let doc: unknown
  try { doc = JSON.parse(text) } catch { throw bad(text, 'not JSON') }
  const o = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>
  if (o.kind !== 'table') throw bad(text, `kind is ${JSON.stringify(o.kind)}, expected "table" (a record of this many-table source)`)
  if (o.v !== 1) throw bad(text, `version ${JSON.stringify(o.v)} is not supported (expected 1)`)
  if (typeof o.t !== 'string' || typeof o.p !== 'object' || o.p === null) throw bad(text, 'needs a table "t" and a position "p"')
  const head = Buffer.from(prefix(o.t))
  if (!bytes.subarray(0, head.length).equals(head) || bytes[bytes.length - 1] !== CLOSE[0]) throw bad(text, 'not in the form this source writes')
  return { table: o.t, inner: bytes.subarray(head.length, bytes.length - 1) }
}
