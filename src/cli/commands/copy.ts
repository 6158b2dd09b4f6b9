import type { OpenCDCError } from '../../errors/index.js'
import type { OpenCDCRecord } from '../../model/record.js'
import { BIN, mergeFlag, parseCommandArgs, parseCount, parseDurationFlag, parseRate, parseSettings, usageError } from '../support/args.js'
import { openDestination, openSource } from '../support/connectors.js'
import { checkCopyTables, destinationTableOf } from './copy-table.js'
import { streamDeadLetter } from '../support/dead-letter.js'
import { assertLoopbackListening } from '../support/endpoint-probe.js'
import { close, counted, take, type TakeEnd } from '../support/flow.js'
import { writeAll } from '../../writable/write-all.js'
import { trackProgress } from '../support/progress.js'
import type { Command } from '../support/runtime.js'
import { createUi } from '../support/ui.js'
import { startMetricsServer } from '../support/metrics-server.js'
import { createdAtMs, statusLine, type StatusSample } from '../support/live-status.js'
import { applyFilterFlags, FILTER_HELP, FILTER_OPTIONS, type FilterFlagValues } from '../support/filter-flags.js'
import { applyStallFlags, guardStalls, STALL_HELP, STALL_OPTIONS, type StallFlagValues } from '../support/stall-flags.js'

const help = `Usage: ${BIN} copy --from T1 --to T2 [options]

Replicates a table into another one: a snapshot of T1, then its changes (DynamoDB Streams), applied to
T2 with batched writes. The tables may live on different endpoints, regions or accounts. Runs until
Ctrl-C, or until --until-idle passes without a change; then flushes every write and saves the
checkpoint, so that the same command resumes where it stopped.

Options:
  --from T1               source table (needs a stream for the changes; NEW_AND_OLD_IMAGES)
  --to T2                 destination table (same key schema; checked before the first Scan)
  --to-template T         destination table named from the source's, e.g. '{{collection}}_copy'
  --create-table          create a missing destination like T1 (keys, attribute definitions, GSIs and
                          LSIs, billing mode) and wait until it is ACTIVE
  --create-table-stream V with --create-table: give the new table a stream (NEW_AND_OLD_IMAGES,
                          NEW_IMAGE, OLD_IMAGE or KEYS_ONLY)
  --endpoint URL          endpoint of both sides (or DYNAMODB_ENDPOINT)
  --region R              region of both sides
  --from-endpoint URL     endpoint of the source side
  --to-endpoint URL       endpoint of the destination side
  --from-region R         region of the source side
  --to-region R           region of the destination side
  --profile P             AWS profile (~/.aws/credentials, ~/.aws/config) of both sides (aws.profile)
  --from-profile P        profile of the source side; --to-profile P: of the destination side
  --role-arn ARN          IAM role both sides assume (aws.assumeRoleArn; -s/-d aws.assumeRoleExternalId=…)
  --from-role-arn ARN     role of the source side; --to-role-arn ARN: of the destination side
${FILTER_HELP}  --checkpoint FILE       resume from FILE; records count as done once written to T2
  --dead-letter FILE      append T1's stream records that cannot be decoded to FILE (JSON lines, with
                          the error), warn, and go on (cdc.onInvalidRecord=dead-letter)
  --until-idle D          stop after D without a record once the snapshot is read (e.g. 10s)
  --snapshot-only         copy the snapshot, then stop
  --worker i/N            scan only worker i's share of a sharded snapshot (0 ≤ i < N; auto/N: i from
                          JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX); needs -s snapshot.segments=S;
                          snapshot only; {worker} in --checkpoint becomes i (docs/scale-out.md)
  --skip-snapshot         copy only changes from now on
  --rate N                at most N writes per second (sdk.rate.perSecond)
  --burst N               bursts of at most N writes (sdk.rate.burst)
  --batch-size N          records per BatchWriteItem, 1-25 (sdk.batch.size)
  --metrics [HOST:]PORT   serve Prometheus metrics on http://HOST:PORT/metrics (HOST 127.0.0.1 by default)
${STALL_HELP}  -s, --setting K=V       a source setting verbatim (repeatable)
  -d, --dest-setting K=V  a destination setting verbatim (repeatable)
  -q, --quiet             only errors on stderr
  -v, --verbose           debug logs on stderr
  -h, --help              this help

Examples:
  ${BIN} copy --from orders --to orders_copy --snapshot-only
  ${BIN} copy --from orders --to orders_copy --checkpoint copy.ckpt --until-idle 30s
  ${BIN} copy --from orders --to orders --from-region us-east-1 --to-region eu-west-1 --rate 1000
  ${BIN} copy --from orders --to-template '{{collection}}_copy' --create-table --snapshot-only
  ${BIN} copy --from orders --to orders --from-profile prod --to-role-arn arn:aws:iam::123456789012:role/copy
`

interface CopyArgs extends FilterFlagValues, StallFlagValues {
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
    const { values } = parseCommandArgs<CopyArgs>('copy', argv, {
      from: { type: 'string' },
      ...FILTER_OPTIONS,
      ...STALL_OPTIONS,
      to: { type: 'string' },
      'to-template': { type: 'string' },
      'create-table': { type: 'boolean' },
      'create-table-stream': { type: 'string' },
      profile: { type: 'string' },
      'from-profile': { type: 'string' },
      'to-profile': { type: 'string' },
      'role-arn': { type: 'string' },
      'from-role-arn': { type: 'string' },
      'to-role-arn': { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'from-endpoint': { type: 'string' },
      'to-endpoint': { type: 'string' },
      'from-region': { type: 'string' },
      'to-region': { type: 'string' },
      checkpoint: { type: 'string' },
      'dead-letter': { type: 'string' },
      'until-idle': { type: 'string' },
      'snapshot-only': { type: 'boolean' },
      worker: { type: 'string' },
      'skip-snapshot': { type: 'boolean' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      'batch-size': { type: 'string' },
      metrics: { type: 'string' },
      setting: { type: 'string', short: 's', multiple: true },
      'dest-setting': { type: 'string', short: 'd', multiple: true }
    })
    const flags = { endpoint: perSide(values, 'endpoint'), region: perSide(values, 'region'), profile: perSide(values, 'profile'), roleArn: perSide(values, 'role-arn') }
    const from = parseSettings('copy', values.setting)
    const to = parseSettings('copy', values['dest-setting'])
    mergeFlag('copy', from, 'table', [], values.from, '--from')
    if (values.to !== undefined && values['to-template'] !== undefined) throw usageError('copy', 'give --to or --to-template, not both')
    mergeFlag('copy', to, 'table', [], values.to ?? values['to-template'], values.to !== undefined ? '--to' : '--to-template')
    if (from.table === undefined || to.table === undefined) throw usageError('copy', '--from and --to are required (or --to-template instead of --to)')
    const stream = values['create-table-stream']
    if (stream !== undefined && !(STREAM_VIEWS as readonly string[]).includes(stream)) throw usageError('copy', `--create-table-stream expects one of ${STREAM_VIEWS.join(', ')}, got ${JSON.stringify(stream)}`)
    if (stream !== undefined && values['create-table'] !== true) throw usageError('copy', '--create-table-stream needs --create-table')
    side(from, 'from', flags, ctx.env)
    side(to, 'to', flags, ctx.env)
    let toTable: string
    try {
      toTable = destinationTableOf(String(to.table), String(from.table))
    } catch (err) {
      throw usageError('copy', `--to-template: ${(err as Error).message}`)
    }
    mergeFlag('copy', from, 'checkpoint', ['checkpoint.file'], values.checkpoint, '--checkpoint')
    applyFilterFlags('copy', from, values)
    mergeFlag('copy', from, 'snapshotOnly', ['snapshot.only'], values['snapshot-only'], '--snapshot-only')
    mergeFlag('copy', from, 'snapshot.worker', ['snapshotWorker'], values.worker, '--worker')
    mergeFlag('copy', from, 'skipSnapshot', ['skipSnapshot'], values['skip-snapshot'], '--skip-snapshot')
    mergeFlag('copy', to, 'sdk.rate.perSecond', ['ratePerSecond'], parseRate('copy', '--rate', values.rate), '--rate')
    mergeFlag('copy', to, 'sdk.rate.burst', ['rateBurst'], parseCount('copy', '--burst', values.burst), '--burst')
    mergeFlag('copy', to, 'sdk.batch.size', ['batchSize'], parseCount('copy', '--batch-size', values['batch-size']), '--batch-size')
    const where = (side: Record<string, unknown>, table: unknown): string => JSON.stringify([table, side.endpoint ?? side['aws.url'] ?? '', side.region ?? side['aws.region'] ?? ''])
    if (where(from, from.table) === where(to, toTable)) throw usageError('copy', `--from and --to name the same table (${String(from.table)}) on the same endpoint and region; it would copy its own changes forever`)
    const idleMs = parseDurationFlag('copy', '--until-idle', values['until-idle'])
    applyStallFlags('copy', values, from, to)

    // Before the first Scan: a destination with another key schema would otherwise fail record by record after it.
    await assertLoopbackListening(from, ctx.signal)
    await assertLoopbackListening(to, ctx.signal)
    const prepared = await checkCopyTables(from, to, toTable, { create: values['create-table'] === true, ...(stream !== undefined ? { stream: stream as typeof STREAM_VIEWS[number] } : {}), signal: ctx.signal })

    const metrics = await startMetricsServer('copy', values.metrics, ctx.stderr)
    const withMetrics = metrics !== undefined ? { metrics: metrics.registry } : {}
    const ui = createUi({ ...values, stderr: ctx.stderr })
    if (prepared.created) ui.log.info(`created table ${toTable} like ${String(from.table)}`)
    const deadLetter = await streamDeadLetter('copy', from, values['dead-letter'])
    const source = await openSource({ ...from, ...withMetrics }).catch(async (err) => { await deadLetter?.close(); await metrics?.close(); throw err })
    source.on('warning', (err: OpenCDCError) => { ui.log.warn(err.code === 'ERR_DDB_UNACKED_LIMIT' ? err.message : `${err.message} (written to ${String(deadLetter?.path)})`) })
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
    const live = liveStatus(source, ui, () => ({ at: Date.now(), read: tally.read, written: tally.written, lastCreatedAt }))
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
    ui.log.info(`copied ${tally.written} records from ${String(from.table)} to ${toTable} (${why === 'end' ? 'end of stream' : why})`)
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
