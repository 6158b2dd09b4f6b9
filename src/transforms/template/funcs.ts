import { canonicalDecimal } from '../../model/codec.js'
import { jsonNumberText, stringifyValue } from '../../model/json-value.js'
import { isPreciseNumber } from '../../model/record.js'
import { templateError } from './parse.js'

type Fn = (args: unknown[], line: number) => unknown

/** How an action prints a value: strings as is, numbers with every digit, bytes as UTF-8, objects as JSON. */
export function printValue (value: unknown, line: number, what: string): string {
  switch (typeof value) {
    case 'string': return value
    case 'number': case 'boolean': case 'bigint': return String(value)
  }
  if (value === null || value === undefined) throw templateError(line, `${what} is null; guard it with {{if}} or use default`)
  if (isPreciseNumber(value)) return jsonNumberText(value.value)
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')
  return stringifyValue(value)
}

/** Go's truth: false, 0, nil and empty strings, lists, maps and sets are false. */
export function isTruthy (v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false
  if (isPreciseNumber(v)) return canonicalDecimal(v.value) !== '0'
  if (Array.isArray(v)) return v.length > 0
  if (v instanceof Uint8Array) return v.byteLength > 0
  if (v instanceof Set || v instanceof Map) return v.size > 0
  if (typeof v === 'object') return Object.keys(v).length > 0
  return true
}

function arity (name: string, args: unknown[], min: number, max: number, line: number): void {
  if (args.length < min || args.length > max) {
    throw templateError(line, `wrong number of arguments for ${name}: want ${min === max ? min : `${min}..${max === Infinity ? 'n' : max}`}, got ${args.length}`)
  }
}

function isNumber (v: unknown): v is number | { value: string } { return typeof v === 'number' || isPreciseNumber(v) }

function numberText (v: number | { value: string }): string { return typeof v === 'number' ? String(v) : v.value }

function equal (a: unknown, b: unknown): boolean {
  if (isNumber(a) && isNumber(b)) return canonicalDecimal(numberText(a)) === canonicalDecimal(numberText(b))
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0
  if (a instanceof Uint8Array && typeof b === 'string') return Buffer.from(a).toString('utf8') === b
  if (typeof a === 'string' && b instanceof Uint8Array) return Buffer.from(b).toString('utf8') === a
  return a === b
}

function compare (name: string, a: unknown, b: unknown, line: number): number {
  if (isNumber(a) && isNumber(b)) return Number(numberText(a)) - Number(numberText(b))
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  throw templateError(line, `${name}: can't compare ${typeof a} with ${typeof b}`)
}

const VERB = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([svdqftxX%])/g

/** Go's printf for the verbs %s %v %d %q %f %t %x %X %% (flags '-' and '0', width, precision). */
function printf (format: string, args: unknown[], line: number): string {
  let next = 0
  const out = format.replace(VERB, (_m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%'
    if (next >= args.length) throw templateError(line, `printf: missing argument for %${verb}`)
    const a = args[next++]
    let s: string
    switch (verb) {
      case 's': case 'v': s = printValue(a, line, `printf argument ${next}`); break
      case 't': s = String(isTruthy(a)); break
      case 'q': s = JSON.stringify(printValue(a, line, `printf argument ${next}`)); break
      case 'd': {
        if (!isNumber(a) || !/^-?\d+$/.test(numberText(a))) throw templateError(line, `printf: %d needs an integer, got ${JSON.stringify(printValue(a, line, 'argument'))}`)
        s = numberText(a); break
      }
      case 'f': {
        if (!isNumber(a)) throw templateError(line, `printf: %f needs a number, got ${typeof a}`)
        s = Number(numberText(a)).toFixed(prec === undefined ? 6 : Number(prec)); break
      }
      default: {
        if (isNumber(a)) s = BigInt(numberText(a)).toString(16)
        else s = Buffer.from(typeof a === 'string' ? a : a instanceof Uint8Array ? a : printValue(a, line, 'argument')).toString('hex')
        if (verb === 'X') s = s.toUpperCase()
      }
    }
    if (prec !== undefined && (verb === 's' || verb === 'v')) s = s.slice(0, Number(prec))
    const w = width === undefined ? 0 : Number(width)
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ')
    return s
  })
  if (/%[^svdqftxX%]/.test(format.replace(VERB, ''))) throw templateError(line, `printf: unsupported verb in ${JSON.stringify(format)} (supported: %s %v %d %q %f %t %x %X %%)`)
  if (next < args.length) throw templateError(line, `printf: ${args.length - next} extra argument(s) for ${JSON.stringify(format)}`)
  return out
}

function index (args: unknown[], line: number): unknown {
  let v = args[0]
  for (const k of args.slice(1)) {
    if (Array.isArray(v)) {
      if (typeof k !== 'number' || !Number.isInteger(k)) throw templateError(line, `index: a list needs an integer index, got ${JSON.stringify(k)}`)
      if (k < 0 || k >= v.length) throw templateError(line, `index: index ${k} out of range (length ${v.length})`)
      v = v[k]
    } else if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Set) && !isPreciseNumber(v)) {
      if (typeof k !== 'string') throw templateError(line, `index: a map needs a string key, got ${JSON.stringify(k)}`)
      if (!Object.prototype.hasOwnProperty.call(v, k)) throw templateError(line, `index: missing key ${JSON.stringify(k)} (test it with hasKey)`)
      v = (v as Record<string, unknown>)[k]
    } else {
      throw templateError(line, `index: can't index ${v === null ? 'null' : typeof v} with ${JSON.stringify(k)}`)
    }
  }
  return v
}

function length (v: unknown, line: number): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length
  if (v instanceof Uint8Array) return v.byteLength
  if (v instanceof Set) return v.size
  if (v !== null && typeof v === 'object' && !isPreciseNumber(v)) return Object.keys(v).length
  throw templateError(line, `len: can't take the length of ${v === null ? 'null' : typeof v}`)
}

/** The functions templates may call: Go's builtins plus the sprig helpers Conduit users reach for most. */
export const FUNCS: Record<string, Fn> = {
  and: () => undefined, // evaluated lazily by the executor
  or: () => undefined,
  not: (a, l) => { arity('not', a, 1, 1, l); return !isTruthy(a[0]) },
  eq: (a, l) => { arity('eq', a, 2, Infinity, l); return a.slice(1).some((b) => equal(a[0], b)) },
  ne: (a, l) => { arity('ne', a, 2, 2, l); return !equal(a[0], a[1]) },
  lt: (a, l) => { arity('lt', a, 2, 2, l); return compare('lt', a[0], a[1], l) < 0 },
  le: (a, l) => { arity('le', a, 2, 2, l); return compare('le', a[0], a[1], l) <= 0 },
  gt: (a, l) => { arity('gt', a, 2, 2, l); return compare('gt', a[0], a[1], l) > 0 },
  ge: (a, l) => { arity('ge', a, 2, 2, l); return compare('ge', a[0], a[1], l) >= 0 },
  index: (a, l) => { arity('index', a, 1, Infinity, l); return index(a, l) },
  len: (a, l) => { arity('len', a, 1, 1, l); return length(a[0], l) },
  print: (a, l) => a.map((x, i) => printValue(x, l, `print argument ${i + 1}`)).join(''),
  printf: (a, l) => {
    arity('printf', a, 1, Infinity, l)
    if (typeof a[0] !== 'string') throw templateError(l, 'printf: the format must be a string')
    return printf(a[0], a.slice(1), l)
  },
  toJson: (a, l) => { arity('toJson', a, 1, 1, l); return stringifyValue(a[0]) },
  hasKey: (a, l) => {
    arity('hasKey', a, 2, 2, l)
    const m = a[0]
    if (m === null || typeof m !== 'object' || Array.isArray(m)) return false
    return Object.prototype.hasOwnProperty.call(m, String(a[1]))
  },
  default: (a, l) => { arity('default', a, 2, 2, l); return isTruthy(a[1]) ? a[1] : a[0] },
  upper: (a, l) => { arity('upper', a, 1, 1, l); return printValue(a[0], l, 'upper argument').toUpperCase() },
  lower: (a, l) => { arity('lower', a, 1, 1, l); return printValue(a[0], l, 'lower argument').toLowerCase() },
  quote: (a, l) => a.map((x, i) => JSON.stringify(printValue(x, l, `quote argument ${i + 1}`))).join(' ')
}
