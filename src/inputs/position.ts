import { OpenCDCError } from '../errors/index.js'

/**
 * Where an input item sat: its file, and either its line (JSON Lines, export data files) or its page and
 * index in that page (scan output, a JSON array). A resume skips to (file, line).
 */
export interface InputPosition {
  file: string
  line?: number
  page?: number
  index?: number
}

/** UTF-8 JSON like the source's positions: {"v":1,"kind":"input","f":"data/a.json.gz","l":12}. */
export function encodeInputPosition (p: InputPosition): Buffer {
  let text = `{"v":1,"kind":"input","f":${JSON.stringify(p.file)}`
  if (p.line !== undefined) text += `,"l":${p.line}`
  if (p.page !== undefined) text += `,"p":${p.page}`
  if (p.index !== undefined) text += `,"i":${p.index}`
  return Buffer.from(text + '}')
}

export function decodeInputPosition (position: Uint8Array | string): InputPosition {
  const text = typeof position === 'string' ? position : Buffer.from(position.buffer, position.byteOffset, position.byteLength).toString('utf8')
  const bad = (rule: string): never => { throw new OpenCDCError('ERR_DDB_INVALID_POSITION', `position ${JSON.stringify(text.slice(0, 200))} ${rule}`, { position: text.slice(0, 200) }) }
  let doc: Record<string, unknown> = {}
  try { doc = JSON.parse(text) as Record<string, unknown> } catch { bad('is not JSON') }
  if (typeof doc !== 'object' || doc === null || doc.v !== 1 || doc.kind !== 'input') return bad('is not an input position ({"v":1,"kind":"input",…})')
  if (typeof doc.f !== 'string') return bad('has no file ("f")')
  const out: InputPosition = { file: doc.f }
  for (const [k, name] of [['l', 'line'], ['p', 'page'], ['i', 'index']] as const) {
    const v = doc[k]
    if (v === undefined) continue
    if (!Number.isSafeInteger(v) || (v as number) < 0) bad(`has a bad "${k}" (must be a whole number ≥ 0)`)
    out[name] = v as number
  }
  return out
}

/** "orders.json line 12" / "scan.json page 2 item 5": how errors name the place. */
export function describeInputPosition (p: InputPosition): string {
  let s = p.file === '-' ? 'stdin' : p.file
  if (p.line !== undefined) s += ` line ${p.line}`
  if (p.page !== undefined) s += ` page ${p.page + 1}`
  if (p.index !== undefined) s += ` item ${p.index + 1}`
  return s
}
