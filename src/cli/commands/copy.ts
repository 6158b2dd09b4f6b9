import type { OpenCDCError } from '../../errors/index.js'
import type { OpenCDCRecord } from '../../model/record.js'
import { BIN, mergeFlag, parseCommandArgs, parseDurationFlag, parseSettings, usageError } from '../support/args.js'
import { applyFlags, COMMON_FLAGS, flagHelp, flagOptions, FLAGS, type Flag } from '../support/flags.js'
import { SOURCE_SPECS } from '../../readable/options.js'
import { ALL_DESTINATION_SPECS } from '../../writable/options.js'
import { openDestination, openSource } from '../support/connectors.js'
import { checkCopyTables, checkManyCopyTables, destinationTableOf } from './copy-table.js'
import { streamDeadLetter } from '../support/dead-letter.js'
import { assertLoopbackListening } from '../support/endpoint-probe.js'
import { close, counted, take, type TakeEnd } from '../support/flow.js'
import { writeAll } from '../../writable/write-all.js'
import { trackProgress } from '../support/progress.js'
import type { Command } from '../support/runtime.js'
import { createUi } from '../support/ui.js'
import { startMetricsServer } from '../support/metrics-server.js'
import { createdAtMs, statusLine, type StatusSample } from '../support/live-status.js'
import { guardStalls, STALL_FLAGS, STALL_TIMEOUT, type StallFlagValues } from '../support/stall-flags.js'
import { FILTER_FLAGS } from '../support/filter-flags.js'
import { checkExportFlags, EXPORT_FLAGS } from '../support/export-flags.js'
import { applyTablesFlags, logTableEvents, TABLES_FLAGS, type TablesFlagValues } from '../support/table-flags.js'

const FROM: Flag = { name: 'from', value: 'T1', option: 'table', help: 'source table (needs a stream for the changes; NEW_AND_OLD_IMAGES)' }
const CHECKPOINT: Flag = { ...FLAGS.checkpoint, help: 'resume from FILE; records count as done once written to T2' }
const SNAPSHOT_ONLY: Flag = { ...FLAGS.snapshotOnly, help: 'copy the snapshot, then stop' }
const SKIP_SNAPSHOT: Flag = { ...FLAGS.skipSnapshot, help: 'copy only changes from now on' }
// Flags that set an option of one side, checked against that side's specs.
const SOURCE_SIDE: readonly Flag[] = [...FILTER_FLAGS, ...EXPORT_FLAGS, CHECKPOINT, SNAPSHOT_ONLY, FLAGS.worker, SKIP_SNAPSHOT, STALL_TIMEOUT]
const DEST_SIDE: readonly Flag[] = [
  { ...FLAGS.rate, help: 'at most N writes per second (sdk.rate.perSecond)' },
  { ...FLAGS.burst, help: 'bursts of at most N writes (sdk.rate.burst)' },
  FLAGS.batchSize
]

const FLAG_LIST: readonly Flag[] = [
  FROM,
  { name: 'to', value: 'T2', help: 'destination table (same key schema; checked before the first Scan)' },
  { name: 'to-template', value: 'T', help: 'destination table named from the source\'s, e.g. \'{{collection}}_copy\'' },
  // Many tables: each goes to --to-template (default: the same name).
  ...TABLES_FLAGS.map((f) => f.name !== 'tables' ? f : { ...f, help: 'copy these tables in one run; each goes to --to-template (default: the same\nname; then give another --to-endpoint or --to-region); tables joining later need\ntheir destination to exist (--create-table creates those found at the start)' }),
  { name: 'create-table', help: 'create a missing destination like T1 (keys, attribute definitions, GSIs and\nLSIs, billing mode) and wait until it is ACTIVE' },
  { name: 'create-table-stream', value: 'V', help: 'with --create-table: give the new table a stream (NEW_AND_OLD_IMAGES,\nNEW_IMAGE, OLD_IMAGE or KEYS_ONLY)' },
  { ...FLAGS.endpoint, help: 'endpoint of both sides (or DYNAMODB_ENDPOINT)' },
  { ...FLAGS.region, help: 'region of both sides' },
  { name: 'from-endpoint', value: 'URL', help: 'endpoint of the source side' },
  { name: 'to-endpoint', value: 'URL', help: 'endpoint of the destination side' },
  { name: 'from-region', value: 'R', help: 'region of the source side' },
  { name: 'to-region', value: 'R', help: 'region of the destination side' },
  { name: 'profile', value: 'P', help: 'AWS profile (~/.aws/credentials, ~/.aws/config) of both sides (aws.profile)' },
  { name: 'from-profile', value: 'P', help: 'profile of the source side' },
  { name: 'to-profile', value: 'P', help: 'profile of the destination side' },
  { name: 'role-arn', value: 'ARN', help: 'IAM role both sides assume (aws.assumeRoleArn; -s/-d aws.assumeRoleExternalId=…)' },
  { name: 'from-role-arn', value: 'ARN', help: 'role of the source side' },
  { name: 'to-role-arn', value: 'ARN', help: 'role of the destination side' },
  ...EXPORT_FLAGS,
  ...FILTER_FLAGS,
  CHECKPOINT,
  { ...FLAGS.deadLetter, help: 'append T1\'s stream records that cannot be decoded to FILE (JSON lines, with\nthe error), warn, and go on (cdc.onInvalidRecord=dead-letter)' },
  { name: 'until-idle', value: 'D', help: 'stop after D without a record once the snapshot is read (e.g. 10s)' },
  SNAPSHOT_ONLY,
  FLAGS.worker,
  SKIP_SNAPSHOT,
  ...DEST_SIDE,
  FLAGS.metrics,
  ...STALL_FLAGS,
  { ...FLAGS.setting, help: 'a source setting verbatim (repeatable)' },
  { name: 'dest-setting', short: 'd', value: 'K=V', multiple: true, help: 'a destination setting verbatim (repeatable)' },
  ...COMMON_FLAGS
]

const help = `Usage: ${BIN} copy --from T1 --to T2 [options]
       ${BIN} copy --tables a,b | --table-prefix P | --table-regex R [--table-tags F] [--to-template T] [options]

Replicates a table into another one: a snapshot of T1, then its changes (DynamoDB Streams), applied to
T2 with batched writes. The tables may live on different endpoints, regions or accounts. Runs until
Ctrl-C, or until --until-idle passes without a change; then flushes every write and saves the
checkpoint, so that the same command resumes where it stopped.

Options:
${flagHelp(FLAG_LIST)}
Examples:
  ${BIN} copy --from orders --to orders_copy --snapshot-only
  ${BIN} copy --from orders --to orders_copy --checkpoint copy.ckpt --until-idle 30s
  ${BIN} copy --from orders --to orders --from-region us-east-1 --to-region eu-west-1 --rate 1000
  ${BIN} copy --from orders --to-template '{{collection}}_copy' --create-table --snapshot-only
  ${BIN} copy --tables orders,users --to-template '{{collection}}_copy' --create-table --checkpoint c.ckpt
  ${BIN} copy --from orders --to orders --from-profile prod --to-role-arn arn:aws:iam::123456789012:role/copy
`

interface CopyArgs extends TablesFlagValues, StallFlagValues {
  from?: string
  to?: string
  'to-template'?: string
  'create-table'?: boolean
  'create-table-stream'?: string
  profile?: string
  'from-profile'?: string
  'to-profile'?: string
  'role-arn'?: string
  'from-role-arn'?: string
  'to-role-arn'?: string
  endpoint?: string
  region?: string
  'from-endpoint'?: string
  'to-endpoint'?: string
  'from-region'?: string
  'to-region'?: string
  checkpoint?: string
  'dead-letter'?: string
  'until-idle'?: string
  'snapshot-only'?: boolean
  worker?: string
  'skip-snapshot'?: boolean
  rate?: string
  burst?: string
  'batch-size'?: string
  metrics?: string
  setting?: string[]
  'dest-setting'?: string[]
  quiet?: boolean
  verbose?: boolean
}

const STREAM_VIEWS = ['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'] as const

type PerSide = ReturnType<typeof perSide>

// A both-sides flag (--region) and its per-side forms (--from-region, --to-region) exclude each other.
function perSide (values: CopyArgs, name: 'endpoint' | 'region' | 'profile' | 'role-arn'): { from?: string, to?: string, flag: (side: 'from' | 'to') => string } {
  const both = values[name]
  const from = values[`from-${name}`]
  const to = values[`to-${name}`]
  if (both !== undefined && (from !== undefined || to !== undefined)) throw usageError('copy', `give --${name}, or --from-${name}/--to-${name}, not both`)
  return { from: from ?? both, to: to ?? both, flag: (side) => both !== undefined ? `--${name}` : `--${side}-${name}` }
}

function side (settings: Record<string, unknown>, s: 'from' | 'to', flags: Record<'endpoint' | 'region' | 'profile' | 'roleArn', PerSide>, env: NodeJS.ProcessEnv): void {
  mergeFlag('copy', settings, 'endpoint', ['aws.url'], flags.endpoint[s], flags.endpoint.flag(s))
  mergeFlag('copy', settings, 'region', ['aws.region'], flags.region[s], flags.region.flag(s))
  mergeFlag('copy', settings, 'aws.profile', ['profile'], flags.profile[s], flags.profile.flag(s))
  mergeFlag('copy', settings, 'aws.assumeRoleArn', ['assumeRoleArn'], flags.roleArn[s], flags.roleArn.flag(s))
  if (settings.endpoint === undefined && settings['aws.url'] === undefined && env.DYNAMODB_ENDPOINT !== undefined && env.DYNAMODB_ENDPOINT !== '') settings.endpoint = env.DYNAMODB_ENDPOINT
}

export const copyCommand: Command = {
  name: 'copy',
  summary: 'replicate a table into another (snapshot + changes)',
  help,
  async run (argv, ctx) {
    const { values } = parseCommandArgs<CopyArgs>('copy', argv, flagOptions(FLAG_LIST))
    const flags = { endpoint: perSide(values, 'endpoint'), region: perSide(values, 'region'), profile: perSide(values, 'profile'), roleArn: perSide(values, 'role-arn') }
    const from = parseSettings('copy', values.setting)
    const to = parseSettings('copy', values['dest-setting'])
    applyFlags('copy', from, [FROM], values, SOURCE_SPECS)
    const many = applyTablesFlags('copy', from, values, '--from')
    if (values.to !== undefined && values['to-template'] !== undefined) throw usageError('copy', 'give --to or --to-template, not both')
    if (many && values.to !== undefined) throw usageError('copy', '--to names one destination table; with many source tables give --to-template (by default each table goes to the table of the same name)')
    mergeFlag('copy', to, 'table', [], values.to ?? values['to-template'], values.to !== undefined ? '--to' : '--to-template')
    if (many) to.table ??= '{{collection}}'
    if ((from.table === undefined && !many) || to.table === undefined) throw usageError('copy', '--from and --to are required (or --to-template instead of --to; or --tables/--table-prefix/--table-regex/--table-tags instead of --from)')
    const stream = values['create-table-stream']
    if (stream !== undefined && !(STREAM_VIEWS as readonly string[]).includes(stream)) throw usageError('copy', `--create-table-stream expects one of ${STREAM_VIEWS.join(', ')}, got ${JSON.stringify(stream)}`)
    if (stream !== undefined && values['create-table'] !== true) throw usageError('copy', '--create-table-stream needs --create-table')
    side(from, 'from', flags, ctx.env)
    side(to, 'to', flags, ctx.env)
    let toTable: string
    try {
      toTable = destinationTableOf(String(to.table), many ? 'many_tables' : String(from.table))
    } catch (err) {
      throw usageError('copy', `--to-template: ${(err as Error).message}`)
    }
    applyFlags('copy', from, SOURCE_SIDE, values, SOURCE_SPECS)
    checkExportFlags('copy', from, values)
    applyFlags('copy', to, [...DEST_SIDE, STALL_TIMEOUT], values, ALL_DESTINATION_SPECS)
    const where = (side: Record<string, unknown>, table: unknown): string => JSON.stringify([table, side.endpoint ?? side['aws.url'] ?? '', side.region ?? side['aws.region'] ?? ''])
    if (!many && where(from, from.table) === where(to, toTable)) throw usageError('copy', `--from and --to name the same table (${String(from.table)}) on the same endpoint and region; it would copy its own changes forever`)
    const idleMs = parseDurationFlag('copy', '--until-idle', values['until-idle'])

    // Before the first Scan: a destination with another key schema would otherwise fail record by record after it.
    await assertLoopbackListening(from, ctx.signal)
    await assertLoopbackListening(to, ctx.signal)
    const check = { create: values['create-table'] === true, ...(stream !== undefined ? { stream: stream as typeof STREAM_VIEWS[number] } : {}), signal: ctx.signal }
    const copies = many
      ? await checkManyCopyTables(from, to, String(to.table), where(from, '') === where(to, ''), check)
      : [{ table: String(from.table), destination: toTable, created: (await checkCopyTables(from, to, toTable, check)).created }]

    const metrics = await startMetricsServer('copy', values.metrics, ctx.stderr)
    const withMetrics = metrics !== undefined ? { metrics: metrics.registry } : {}
    const ui = createUi({ ...values, stderr: ctx.stderr })
    for (const c of copies) if (c.created) ui.log.info(`created table ${c.destination} like ${c.table}`)
    const deadLetter = await streamDeadLetter('copy', from, values['dead-letter'])
    const source = await openSource({ ...from, ...withMetrics }).catch(async (err) => { await deadLetter?.close(); await metrics?.close(); throw err })
    source.on('warning', (err: OpenCDCError) => { ui.log.warn(err.code === 'ERR_DDB_UNACKED_LIMIT' ? err.message : `${err.message} (written to ${String(deadLetter?.path)})`) })
    logTableEvents(source, ui)
    const tally = Object.assign(ctx.tally, { read: 0, written: 0, deadLettered: 0 })
    let lastCreatedAt: number | undefined
    // The bar counts records the destination confirmed, not records read (a rate limit shows as it is).
    const progress = trackProgress(source, ui, 'copy', () => tally.written)
    let dest
    try {
      dest = await openDestination({
        ...to,
        ...withMetrics,
        onWritten: (records: OpenCDCRecord[]) => {
          tally.written += records.length
          for (const r of records) { source.ack(r); lastCreatedAt = createdAtMs(r) ?? lastCreatedAt }
          progress.refresh()
        }
      })
    } catch (err) {
      progress.stop()
      await close(source)
      await deadLetter?.close()
      await metrics?.close()
      throw err
    }
    // A many-table source has no single phase: its live line stays off (the per-table progress lines remain).
    const live = liveStatus(source as { phase?: string }, ui, () => ({ at: Date.now(), read: tally.read, written: tally.written, lastCreatedAt }))
    const stall = guardStalls([source, dest], ui.log, values['exit-on-stall'] === true, async () => { await source.flushCheckpoint() })
    let why = 'end' as TakeEnd
    try {
      await writeAll(counted(take<OpenCDCRecord>(source, { signal: ctx.signal, idleMs }, (w) => { why = w }), () => { tally.read++ }), dest)
    } catch (err) {
      stall.check(err)
    } finally {
      live.stop()
      progress.stop()
      ui.close()
      await close(source)
      await deadLetter?.close()
      await metrics?.close()
      tally.deadLettered = deadLetter?.count ?? 0
      // The source saved its checkpoint when it ended; writes acknowledged after that (the last batches) are saved here.
      await source.flushCheckpoint()
    }
    stall.check()
    const what = many ? `${copies.length} tables (${copies.map((c) => `${c.table} → ${c.destination}`).join(', ')})` : `${String(from.table)} to ${toTable}`
    ui.log.info(`copied ${tally.written} records from ${what} (${why === 'end' ? 'end of stream' : why})`)
    return 0
  }
}

// After the snapshot, on a TTY: one line with lag, records/s and writes/s, refreshed every second.
function liveStatus (source: { phase?: string }, ui: ReturnType<typeof createUi>, sample: () => StatusSample): { stop: () => void } {
  let line: ReturnType<typeof ui.status> | undefined
  let prev = sample()
  const timer = setInterval(() => {
    const cur = sample()
    if (source.phase === 'cdc') (line ??= ui.status()).set(statusLine(prev, cur))
    prev = cur
  }, 1000)
  timer.unref()
  return { stop: () => { clearInterval(timer); line?.stop() } }
}
