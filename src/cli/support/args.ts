import { parseArgs, type ParseArgsConfig } from 'node:util'
import { OpenCDCError, errorInfo } from '../../errors/index.js'
import { durationHint, parseGoDuration } from '../../options/duration.js'
import { didYouMean } from '../../options/did-you-mean.js'

export const BIN = 'dynamodb-opencdc'

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' }
} as const

type Options = NonNullable<ParseArgsConfig['options']>

/** A usage error: exit code 2, with a hint to the command's --help. */
export function usageError (command: string | undefined, message: string): OpenCDCError {
  const help = command !== undefined ? `${BIN} ${command} --help` : `${BIN} --help`
  return new OpenCDCError('ERR_DDB_USAGE', `${message}\nRun "${help}" for usage and examples.`, command !== undefined ? { command } : undefined)
}

/** Bad flags, settings and pipeline files are usage errors (exit 2, the catalogue's `exit: 'usage'`); everything else is a runtime failure (exit 1). */
export function isUsageError (err: unknown): boolean {
  return err instanceof OpenCDCError && errorInfo(err.code)?.exit === 'usage'
}

export interface ParsedArgs<T> {
  values: T
  positionals: string[]
}

/** node:util parseArgs in strict mode, its errors turned into usage errors naming the command. */
export function parseCommandArgs<T> (command: string, argv: readonly string[], options: Options, allowPositionals = false): ParsedArgs<T> {
  const all = { ...COMMON_OPTIONS, ...options }
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: all, strict: true, allowPositionals, tokens: true })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) throw usageError(command, e.message + flagHint(e, all))
    throw err
  }
  rejectRepeats(command, parsed.tokens, all)
  return { values: parsed.values as T, positionals: parsed.positionals }
}

// An unknown --flag gets the same did-you-mean as an unknown option or setting.
function flagHint (err: NodeJS.ErrnoException, options: Options): string {
  const unknown = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(--[^'=]+)/.exec(err.message)?.[1] : undefined
  return unknown !== undefined ? didYouMean(unknown, Object.keys(options).map((name) => `--${name}`)) : ''
}

/** Flags that name the table a source reads: several of them would mean several tables. */
const SOURCE_TABLE_FLAGS = new Set(['table', 'from'])

// parseArgs keeps the last of a repeated single-value flag; `--table a --table b` must not silently read only b.
function rejectRepeats (command: string, tokens: ReturnType<typeof parseArgs>['tokens'], options: Options): void {
  const seen = new Map<string, string[]>()
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || options[token.name]?.type !== 'string' || options[token.name]?.multiple === true) continue
    seen.set(token.name, [...seen.get(token.name) ?? [], token.value ?? ''])
  }
  for (const [name, given] of seen) {
    const several = given.length > 1 || (SOURCE_TABLE_FLAGS.has(name) && given.some((v) => v.includes(',')))
    if (several && SOURCE_TABLE_FLAGS.has(name)) {
      throw usageError(command, `--${name} names several tables (${given.join(', ')}): --${name} takes one table; to read many in one run give --tables ${given.join(',')} (or --table-prefix/--table-regex/--table-tags)`)
    }
    if (given.length > 1) throw usageError(command, `--${name} was given ${given.length} times; give it once`)
  }
}

/** `-s key=value` pairs → a settings object; a repeated key keeps the last value, as shells users expect. */
export function parseSettings (command: string, pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw usageError(command, `-s expects key=value (like -s sdk.batch.size=100), got ${JSON.stringify(pair)}`)
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1)
  }
  return out
}

/** Adds a flag's value to settings; the same option given as a flag and as a -s setting is a usage error. */
export function mergeFlag (command: string, settings: Record<string, unknown>, key: string, aliases: readonly string[], value: unknown, flag: string): void {
  if (value === undefined) return
  for (const k of [key, ...aliases]) {
    if (settings[k] !== undefined) throw usageError(command, `${flag} and -s ${k}=… set the same option; give only one`)
  }
  settings[key] = value
}

export function parseCount (command: string, flag: string, text: string | undefined, min = 1): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) throw usageError(command, `${flag} expects a whole number ≥ ${min}, got ${JSON.stringify(text)}`)
  return n
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 }

/** A byte count: `4194304`, `512KiB`, `4MiB`, `1GiB` (K, M, G are powers of 1024 too). */
export function parseSize (command: string, flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text)
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()]
  const n = m === null || unit === undefined ? NaN : Number(m[1]) * unit
  if (!Number.isSafeInteger(n)) throw usageError(command, `${flag} expects a byte count like 4194304, 512KiB or 4MiB, got ${JSON.stringify(text)}`)
  return n
}

export function parseRate (command: string, flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw usageError(command, `${flag} expects a positive number, got ${JSON.stringify(text)}`)
  return n
}

export function parseDurationFlag (command: string, flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const ms = parseGoDuration(text)
  if (ms === undefined || ms < 0) throw usageError(command, `${flag} expects a duration with a unit, like 10s, 1m30s or 250ms, got ${JSON.stringify(text)}${durationHint(text)}`)
  return ms
}

/** Connection settings from --endpoint/--region and -s; DYNAMODB_ENDPOINT when neither names an endpoint. */
export function connectionSettings (command: string, values: { endpoint?: string, region?: string, setting?: string[] }, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const settings: Record<string, unknown> = parseSettings(command, values.setting)
  mergeFlag(command, settings, 'endpoint', ['aws.url'], values.endpoint, '--endpoint')
  mergeFlag(command, settings, 'region', ['aws.region'], values.region, '--region')
  const envEndpoint = env.DYNAMODB_ENDPOINT
  if (settings.endpoint === undefined && (settings['aws.url'] === undefined || settings['aws.url'] === '') && envEndpoint !== undefined && envEndpoint !== '') {
    delete settings['aws.url']
    settings.endpoint = envEndpoint
  }
  return settings
}

/** Removes and returns a setting given either by its seed key or its camelCase name. */
export function takeSetting (settings: Record<string, unknown>, key: string, alias: string): unknown {
  const value = settings[key] ?? settings[alias]
  delete settings[key]
  delete settings[alias]
  return value
}
