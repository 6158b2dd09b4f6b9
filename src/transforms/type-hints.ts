import { pathOf, type Trail } from '../model/codec.js'
import { OpenCDCError } from '../errors/index.js'
import { isPreciseNumber, isRawData, type Data, type StructuredData } from '../model/record.js'

/**
 * The metadata entry that carries, per part, the DynamoDB types plain JSON cannot say (sets and
 * binaries), so plain opencdc/json lines round-trip exactly. Its value is compact JSON:
 * `{"after":[["SS","tags"],["B","files",0,"data"]],"key":[["B","id"]]}`, each hint `[type, ...path]`
 * with attribute names as strings and list indexes as numbers (unambiguous whatever the names hold).
 */
export const TYPES_METADATA = 'dynamodb.types'

export type HintType = 'B' | 'SS' | 'NS' | 'BS'
export type TypeHint = [HintType, ...Trail]
const PARTS = { key: 'key', before: 'payload.before', after: 'payload.after' } as const
export type HintPart = keyof typeof PARTS
export type TypeHints = Partial<Record<HintPart, TypeHint[]>>

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Standard base64 with padding, the only form raw bytes take in opencdc/json. */
export function isBase64 (text: string): boolean {
  return BASE64.test(text)
}

function invalid (field: string, rule: string, path?: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_RECORD', `"${field}" ${rule}`, path === undefined ? { field } : { field, path })
}

const HINT_TYPES = new Set(['B', 'SS', 'NS', 'BS'])
const META_FIELD = `metadata.${TYPES_METADATA}`

function isHint (h: unknown): h is TypeHint {
  if (!Array.isArray(h) || h.length < 2 || !HINT_TYPES.has(h[0])) return false
  for (let i = 1; i < h.length; i++) {
    const s: unknown = h[i]
    if (typeof s !== 'string' && !(Number.isSafeInteger(s) && (s as number) >= 0)) return false
  }
  return true
}

// Records of one table repeat the same few hint texts: parse and check each once (the result is never mutated).
const parsed = new Map<string, TypeHints>()

/** The metadata entry's text → hints, checking its shape. */
export function parseHints (text: string): TypeHints {
  let hints = parsed.get(text)
  if (hints === undefined) {
    hints = checkHints(text)
    if (parsed.size < 1000) parsed.set(text, hints)
  }
  return hints
}

function checkHints (text: string): TypeHints {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw invalid(META_FIELD, `must be JSON (${(err as Error).message})`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(META_FIELD, 'must be a JSON object of key, before, after')
  for (const [part, list] of Object.entries(doc)) {
    if (!(part in PARTS)) throw invalid(META_FIELD, `names an unknown part ${JSON.stringify(part)} (expected key, before or after)`)
    if (!Array.isArray(list)) throw invalid(META_FIELD, `.${part} must be a list of [type, ...path] hints`)
    for (const h of list as unknown[]) {
      if (!isHint(h)) throw invalid(META_FIELD, `.${part} holds ${JSON.stringify(h)}; a hint is [type, ...path] with type B, SS, NS or BS, names as strings and list indexes as numbers`)
    }
  }
  return doc as TypeHints
}

function describe (v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (isPreciseNumber(v)) return 'a number'
  if (v instanceof Uint8Array) return 'bytes'
  if (v instanceof Set) return 'a set'
  return typeof v === 'object' ? 'a map' : `a ${typeof v}`
}

const EXPECTED: Record<HintType, string> = { B: 'a base64 string', SS: 'a list of distinct strings', NS: 'a list of distinct numbers', BS: 'a list of distinct base64 strings' }

function convert (type: HintType, v: unknown): unknown {
  if (type === 'B') return typeof v === 'string' && isBase64(v) ? Buffer.from(v, 'base64') : undefined
  if (!Array.isArray(v)) return undefined
  for (const x of v as unknown[]) {
    const ok = type === 'NS' ? typeof x === 'number' || isPreciseNumber(x) : typeof x === 'string' && (type === 'SS' || isBase64(x))
    if (!ok) return undefined
  }
  // A duplicate would vanish in the Set: the value would change silently.
  const set = new Set(v as unknown[])
  if (set.size !== v.length) return undefined
  return type === 'BS' ? new Set((v as string[]).map((x) => Buffer.from(x, 'base64'))) : set
}

/** Gives the values named by a part's hints their DynamoDB type back; a hint that does not fit its value is an error naming part and path. */
export function applyHints (data: Data, hints: TypeHint[] | undefined, part: HintPart): Data {
  if (hints === undefined || hints.length === 0) return data
  const field = PARTS[part]
  if (data === null || isRawData(data)) throw invalid(field, `has type hints in metadata "${TYPES_METADATA}" but is ${data === null ? 'absent' : 'raw bytes'}`)
  for (const hint of hints) {
    const type = hint[0]
    let parent: unknown = data
    for (let i = 1; i < hint.length - 1; i++) parent = step(parent, hint[i] as string | number)
    const last = hint[hint.length - 1] as string | number
    const value = step(parent, last)
    const typed = value === undefined ? undefined : convert(type, value)
    if (typed === undefined) {
      const path = pathOf('$', hint.slice(1) as Trail)
      const got = value === undefined ? 'nothing there' : describe(value)
      throw invalid(field, `type hint ${type} at ${path} (metadata "${TYPES_METADATA}") does not match the value: expected ${EXPECTED[type]}, got ${got}`, path)
    }
    // step() found an own property, so even "__proto__" is assigned as an attribute here, not as the prototype.
    (parent as Record<string | number, unknown>)[last] = typed
  }
  return data as StructuredData
}

function step (v: unknown, seg: string | number): unknown {
  if (typeof seg === 'number') return Array.isArray(v) ? v[seg] : undefined
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array || v instanceof Set || isPreciseNumber(v)) return undefined
  return Object.hasOwn(v, seg) ? (v as Record<string, unknown>)[seg] : undefined
}
