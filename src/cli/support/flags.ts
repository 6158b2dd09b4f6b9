import type { ParseArgsConfig } from 'node:util'
import type { OptionSpec } from '../../options/options.js'
import { mergeFlag, parseCount, parseDurationFlag, parseRate } from './args.js'

/**
 * One command-line flag: its parseArgs entry, its line in --help and, when it stands for a source or
 * destination option, that option's spec name — so the -s conflict check knows every name of the option
 * (camelCase, Conduit setting, former names) and the resolver validates the value like any other.
 */
export interface Flag {
  name: string
  short?: string
  /** Placeholder of the value in --help; absent: a switch. */
  value?: string
  multiple?: boolean
  /** Help text; each '\n' starts a line indented under the first. */
  help: string
  /** The option (spec name) the flag sets. */
  option?: string
  /** Flag text → option value; a bad text is a usage error naming the flag. */
  parse?: (command: string, flag: string, raw: unknown) => unknown
}

type Options = NonNullable<ParseArgsConfig['options']>

const HELP_COLUMN = 26

/** parseArgs options of these flags. */
export function flagOptions (flags: readonly Flag[]): Options {
  const out: Options = {}
  for (const f of flags) {
    out[f.name] = { type: f.value !== undefined ? 'string' : 'boolean', ...(f.short !== undefined ? { short: f.short } : {}), ...(f.multiple === true ? { multiple: true } : {}) }
  }
  return out
}

/** The Options block of a command's --help, one entry per flag in the given order. */
export function flagHelp (flags: readonly Flag[]): string {
  return flags.map((f) => {
    const head = `  ${f.short !== undefined ? `-${f.short}, ` : ''}--${f.name}${f.value !== undefined ? ' ' + f.value : ''}`
    const [first, ...rest] = f.help.split('\n')
    const lead = head.length < HELP_COLUMN ? head.padEnd(HELP_COLUMN) : head + ' '
    return [lead + (first ?? ''), ...rest.map((line) => ' '.repeat(HELP_COLUMN) + line)].join('\n')
  }).join('\n') + '\n'
}

/** Merges the flags that stand for options into one side's settings (a flag and a -s for the same option is a usage error). */
export function applyFlags (command: string, settings: Record<string, unknown>, flags: readonly Flag[], parsed: object, specs: readonly OptionSpec[]): void {
  const values = parsed as Record<string, unknown>
  for (const f of flags) {
    if (f.option === undefined || values[f.name] === undefined) continue
    const spec = specs.find((s) => s.name === f.option)
    if (spec === undefined) throw new Error(`--${f.name}: no option ${f.option}`)
    const aliases = [spec.setting, ...spec.deprecated ?? []].filter((k): k is string => k !== undefined && k !== spec.name)
    const value = f.parse !== undefined ? f.parse(command, `--${f.name}`, values[f.name]) : values[f.name]
    mergeFlag(command, settings, spec.name, aliases, value, `--${f.name}`)
  }
}

const text = (raw: unknown): string => raw as string

/** Flags several commands share; a command may reword a flag's help (`{ ...FLAGS.table, help: … }`). */
export const FLAGS = {
  table: { name: 'table', value: 'T', option: 'table', help: 'table to read (or -s table=T)' },
  endpoint: { name: 'endpoint', value: 'URL', help: 'DynamoDB endpoint (or -s aws.url=URL, or DYNAMODB_ENDPOINT)' },
  region: { name: 'region', value: 'R', help: 'AWS region (or -s aws.region=R, or AWS_REGION)' },
  skipSnapshot: { name: 'skip-snapshot', option: 'skipSnapshot', help: 'only changes (skipSnapshot=true)' },
  snapshotOnly: { name: 'snapshot-only', option: 'snapshotOnly', help: 'stop after the snapshot' },
  worker: {
    name: 'worker',
    value: 'i/N',
    option: 'snapshotWorker',
    help: 'scan only worker i\'s share of a sharded snapshot (0 ≤ i < N; auto/N: i from\nJOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX); needs -s snapshot.segments=S;\nsnapshot only; {worker} in --checkpoint becomes i (docs/scale-out.md)'
  },
  checkpoint: { name: 'checkpoint', value: 'FILE', option: 'checkpoint', help: 'resume from FILE' },
  deadLetter: { name: 'dead-letter', value: 'FILE', help: 'append what cannot be handled to FILE' },
  metrics: { name: 'metrics', value: '[HOST:]PORT', help: 'serve Prometheus metrics on http://HOST:PORT/metrics (HOST 127.0.0.1 by default)' },
  rate: { name: 'rate', value: 'N', option: 'ratePerSecond', parse: (c, f, raw) => parseRate(c, f, text(raw)), help: 'at most N records per second (sdk.rate.perSecond)' },
  burst: { name: 'burst', value: 'N', option: 'rateBurst', parse: (c, f, raw) => parseCount(c, f, text(raw)), help: 'bursts of at most N records (sdk.rate.burst)' },
  batchSize: { name: 'batch-size', value: 'N', option: 'batchSize', parse: (c, f, raw) => parseCount(c, f, text(raw)), help: 'records per BatchWriteItem, 1-25 (sdk.batch.size)' },
  batchDelay: { name: 'batch-delay', value: 'D', option: 'batchDelay', parse: (c, f, raw) => parseDurationFlag(c, f, text(raw)), help: 'longest wait for a batch to fill, e.g. 100ms (sdk.batch.delay)' },
  setting: { name: 'setting', short: 's', value: 'K=V', multiple: true, help: 'any setting verbatim (repeatable)' },
  quiet: { name: 'quiet', short: 'q', help: 'only errors on stderr' },
  verbose: { name: 'verbose', short: 'v', help: 'debug logs on stderr' },
  help: { name: 'help', short: 'h', help: 'this help' }
} satisfies Record<string, Flag>

/** The three flags every command ends its list with. */
export const COMMON_FLAGS: readonly Flag[] = [FLAGS.quiet, FLAGS.verbose, FLAGS.help]

/** parseArgs options of the connection flags, for commands whose help is not built from a Flag list (status). */
export const CONNECTION_OPTIONS: Options = flagOptions([FLAGS.endpoint, FLAGS.region, FLAGS.setting])
