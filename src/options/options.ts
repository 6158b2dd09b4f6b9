import { OpenCDCError } from '../errors/index.js'
import { durationOption } from './duration.js'
import { didYouMean } from './did-you-mean.js'

export type OptionKind = 'string' | 'int' | 'number' | 'bool' | 'duration' | 'enum' | 'object' | 'json' | 'function'

/** One option: its typed camelCase name and, where Conduit has one, the setting key accepted verbatim. */
export interface OptionSpec {
  name: string
  setting?: string
  kind: OptionKind
  default?: unknown
  min?: number
  max?: number
  values?: readonly string[]
  required?: boolean
  /** Never echo the value in an error. */
  secret?: boolean
  /** Former names, still accepted for one release with a one-time DeprecationWarning. */
  deprecated?: readonly string[]
  doc: string
}

const warned = new Set<string>()

// Once per process per old name and side: a long-running pipeline must not repeat it for every stream it opens.
function warnDeprecated (label: string, old: string, spec: OptionSpec): void {
  const key = `${label}\0${old}\0${spec.name}`
  if (warned.has(key)) return
  warned.add(key)
  process.emitWarning(`${label}: option "${old}" is deprecated and will be removed in the next major release; use "${spec.name}" (${spec.doc})`, { type: 'DeprecationWarning', code: 'DDB_DEP_OPTION' })
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

function invalid (key: string, expected: string, value: unknown, spec: OptionSpec): OpenCDCError {
  const shown = spec.secret === true ? '<redacted>' : JSON.stringify(typeof value === 'bigint' ? String(value) : value)
  return new OpenCDCError('ERR_DDB_INVALID_OPTION', `${key}: expected ${expected}, got ${shown}`, { option: key })
}

function coerce (key: string, value: unknown, spec: OptionSpec): unknown {
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') throw invalid(key, 'a string', value, spec)
      return value
    case 'bool':
      if (typeof value === 'boolean') return value
      if (typeof value === 'string' && TRUE.has(value)) return true
      if (typeof value === 'string' && FALSE.has(value)) return false
      throw invalid(key, 'a boolean ("true" or "false")', value, spec)
    case 'int':
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()) ? Number(value) : NaN
      const what = spec.kind === 'int' ? 'an integer' : 'a number'
      const range = spec.min !== undefined && spec.max !== undefined ? ` from ${spec.min} to ${spec.max}`
        : spec.min !== undefined ? ` ≥ ${spec.min}` : spec.max !== undefined ? ` ≤ ${spec.max}` : ''
      if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n))) throw invalid(key, what + range, value, spec)
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) throw invalid(key, what + range, value, spec)
      return n
    }
    case 'duration': {
      const ms = durationOption(key, value)
      if ((spec.min !== undefined && ms < spec.min) || (spec.max !== undefined && ms > spec.max)) {
        throw invalid(key, `a duration from ${spec.min ?? 0}ms${spec.max !== undefined ? ` to ${spec.max}ms` : ''}`, value, spec)
      }
      return ms
    }
    case 'enum':
      if (typeof value !== 'string' || !(spec.values ?? []).includes(value)) throw invalid(key, `one of ${(spec.values ?? []).join(', ')}`, value, spec)
      return value
    case 'object':
      if (typeof value !== 'object' || value === null) throw invalid(key, 'an object', typeof value, spec)
      return value
    case 'json': {
      // A setting is a string: a JSON object; a typed option may be the object itself.
      let v = value
      if (typeof v === 'string') { try { v = JSON.parse(v) } catch { throw invalid(key, 'a JSON object', value, spec) } }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(key, 'an object (or its JSON)', value, spec)
      return v
    }
    case 'function':
      if (typeof value !== 'function') throw invalid(key, 'a function', typeof value, spec)
      return value
  }
}

/**
 * The one place options are validated. Accepts Conduit setting keys verbatim (string values, Go durations)
 * and typed camelCase names; returns a fresh object keyed by camelCase name with defaults applied.
 * Unknown keys, conflicts and bad values throw ERR_DDB_UNKNOWN_OPTION / ERR_DDB_INVALID_OPTION /
 * ERR_DDB_MISSING_OPTION naming the key and the expected form.
 */
export function resolveOptions<T> (specs: readonly OptionSpec[], input: object | undefined, label: string): T {
  const byKey = new Map<string, OptionSpec>()
  for (const spec of specs) {
    byKey.set(spec.name, spec)
    if (spec.setting !== undefined) byKey.set(spec.setting, spec)
    for (const old of spec.deprecated ?? []) byKey.set(old, spec)
  }
  const out: Record<string, unknown> = {}
  const givenAs = new Map<string, string>()
  for (const [key, raw] of Object.entries(input ?? {})) {
    if (raw === undefined) continue
    const spec = byKey.get(key)
    if (spec === undefined) {
      const hint = didYouMean(key, [...byKey].filter(([k, s]) => s.deprecated?.includes(k) !== true).map(([k]) => k))
      throw new OpenCDCError('ERR_DDB_UNKNOWN_OPTION', `${label}: unknown option "${key}"${hint}`, { option: key })
    }
    const earlier = givenAs.get(spec.name)
    if (earlier !== undefined) {
      throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `${label}: "${key}" and "${earlier}" set the same option; give only one`, { option: key })
    }
    givenAs.set(spec.name, key)
    if (spec.deprecated?.includes(key) === true) warnDeprecated(label, key, spec)
    // Conduit writes "" for an unset setting.
    if (raw === '') continue
    out[spec.name] = coerce(key, raw, spec)
  }
  for (const spec of specs) {
    if (out[spec.name] !== undefined) continue
    if (spec.default !== undefined) out[spec.name] = spec.default
    else if (spec.required === true) {
      const names = spec.setting !== undefined ? `"${spec.setting}" (or "${spec.name}")` : `"${spec.name}"`
      throw new OpenCDCError('ERR_DDB_MISSING_OPTION', `${label}: option ${names} is required: ${spec.doc}`, { option: spec.name })
    }
  }
  return out as T
}
