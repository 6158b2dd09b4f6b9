import { OpenCDCError } from '../errors/index.js'

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * A Go time.Duration string ("10s", "1m30s", "250ms", "1.5h", "0") → milliseconds.
 * Returns undefined when the text is not a duration, so callers can name the setting in their error.
 */
export function parseGoDuration (text: string): number | undefined {
  const s = text.trim()
  if (s === '0' || s === '+0' || s === '-0') return 0
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s)
  if (m === null) return undefined
  let total = 0
  for (const part of s.slice(m[1]?.length ?? 0).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] as string] as number)
  }
  return m[1] === '-' ? -total : total
}

/** Milliseconds → the shortest Go-style duration text ("1m30s", "250ms"). */
export function formatGoDuration (ms: number): string {
  if (ms === 0) return '0s'
  let rest = Math.abs(ms)
  let out = ms < 0 ? '-' : ''
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (rest >= size) {
      const whole = Math.floor(rest / size)
      out += `${whole}${unit}`
      rest -= whole * size
    }
  }
  if (rest > 0) out += `${+rest.toFixed(6)}ms`
  return out
}

/** Why a text is not a duration, for error messages: a bare number is the usual slip (5 s? 5 ms?). */
export function durationHint (text: string): string {
  return /^\s*[+-]?\d+(\.\d*)?\s*$/.test(text) && Number(text) !== 0 ? ` (a number in text needs its unit: ${text.trim()}s or ${text.trim()}ms?)` : ''
}

/** Like parseGoDuration but accepts a number (milliseconds) and throws a coded error naming the setting. */
export function durationOption (name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value
  if (typeof value === 'string') {
    const ms = parseGoDuration(value)
    if (ms !== undefined && ms >= 0) return ms
  }
  throw new OpenCDCError('ERR_DDB_INVALID_OPTION',
    `${name}: expected a duration like "10s", "1m30s" or "250ms" (or milliseconds as a number), got ${JSON.stringify(value)}${typeof value === 'string' ? durationHint(value) : ''}`,
    { option: name })
}
