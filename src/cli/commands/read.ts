import type { OpenCDCError } from '../../errors/index.js'
import type { OpenCDCRecord } from '../../model/record.js'
import { SNAPSHOT_SPECS, SOURCE_SPECS } from '../../readable/options.js'
import { AckWindow, defaultAckLag } from '../support/ack-window.js'
import { BIN, connectionSettings, parseCommandArgs, parseCount, parseDurationFlag, parseSize, takeSetting, usageError } from '../support/args.js'
import { applyFlags, COMMON_FLAGS, flagHelp, flagOptions, FLAGS, type Flag } from '../support/flags.js'
import { openSerializer, openSource } from '../support/connectors.js'
import { streamDeadLetter } from '../support/dead-letter.js'
import { close, take, type TakeEnd } from '../support/flow.js'
import { trackProgress } from '../support/progress.js'
import { flushed, outputClosed, writeOut, writesToFile, type Command } from '../support/runtime.js'
import { createUi } from '../support/ui.js'
import { startMetricsServer } from '../support/metrics-server.js'
import { guardStalls, STALL_FLAGS, type StallFlagValues } from '../support/stall-flags.js'
import { FILTER_FLAGS } from '../support/filter-flags.js'
import { applyTablesFlags, logTableEvents, TABLES_FLAGS, type TablesFlagValues } from '../support/table-flags.js'
import { checkExportFlags, EXPORT_FLAGS } from '../support/export-flags.js'

const FLAG_LIST: readonly Flag[] = [
  FLAGS.table,
  ...TABLES_FLAGS,
  FLAGS.endpoint,
  FLAGS.region,
  FLAGS.skipSnapshot,
  FLAGS.snapshotOnly,
  FLAGS.worker,
  { name: 'format', value: 'F', help: 'opencdc/json (default), debezium/json or template (sdk.record.format)' },
  { name: 'format-options', value: 'S', help: 'format options (sdk.record.format.options), e.g. position.excluded=true,\nor the template text for --format template' },
  FLAGS.metrics,
  ...STALL_FLAGS,
  ...EXPORT_FLAGS,
  ...FILTER_FLAGS,
  { ...FLAGS.deadLetter, help: 'append stream records that cannot be decoded to FILE (one JSON line each,\nwith the error), warn, and go on (cdc.onInvalidRecord=dead-letter);\nwithout it such a record stops the command, and a restart stops on it again' },
  { ...FLAGS.checkpoint, help: 'resume from FILE and keep it up to date as lines are written (to a pipe,\nonly lines --ack-lag bytes behind the last one written count; see docs/cli.md)' },
  { name: 'ack-lag', value: 'BYTES', help: 'with --checkpoint and stdout not a file: bytes written after a line before\nit is checkpointed (default 4MiB: a pipe\'s buffer plus its reader\'s; 0: none)' },
  { name: 'max-records', value: 'N', help: 'stop after N records' },
  { name: 'idle-exit', value: 'DURATION', help: 'stop after DURATION without a record once the snapshot is read (e.g. 10s)' },
  { ...FLAGS.setting, help: 'any source setting verbatim (repeatable), e.g. -s snapshot.segments=8' },
  ...COMMON_FLAGS
]

const help = `Usage: ${BIN} read --table T [options] [-s key=value]…
       ${BIN} read --tables a,b | --table-prefix P | --table-regex R [--table-tags F] [options]

Prints the table's records on stdout, one per line: a snapshot (parallel Scan) first, then its
changes from DynamoDB Streams, until Ctrl-C (or --max-records / --idle-exit).

Options:
${flagHelp(FLAG_LIST)}
Examples:
  ${BIN} read --table orders --snapshot-only > orders.jsonl
  ${BIN} read --table orders --checkpoint orders.ckpt | gzip > changes.jsonl.gz
  ${BIN} read --table orders --format template --format-options '{{ .Payload.After.id }}' | head
  ${BIN} read --table orders --format debezium/json -s sdk.batch.size=100 | nc localhost 9000
  ${BIN} read --table-prefix app_ --snapshot-only > app.jsonl
`

interface ReadArgs extends TablesFlagValues, StallFlagValues {
  table?: string
  endpoint?: string
  region?: string
  setting?: string[]
  'skip-snapshot'?: boolean
  'snapshot-only'?: boolean
  worker?: string
  format?: string
  'format-options'?: string
  checkpoint?: string
  'dead-letter'?: string
  metrics?: string
  'max-records'?: string
  'idle-exit'?: string
  'ack-lag'?: string
  quiet?: boolean
  verbose?: boolean
}

export const readCommand: Command = {
  name: 'read',
  summary: 'print a table\'s snapshot and changes as OpenCDC lines on stdout',
  help,
  async run (argv, ctx) {
    const { values } = parseCommandArgs<ReadArgs>('read', argv, flagOptions(FLAG_LIST))
    const settings = connectionSettings('read', values, ctx.env)
    applyFlags('read', settings, FLAG_LIST, values, SOURCE_SPECS)
    checkExportFlags('read', settings, values)
    const many = applyTablesFlags('read', settings, values, '--table')
    const maxRecords = parseCount('read', '--max-records', values['max-records'])
    const idleMs = parseDurationFlag('read', '--idle-exit', values['idle-exit'])
    // A completed write to a pipe only means the kernel has the bytes; its reader may still drop them (| head).
    const lag = writesToFile(ctx.stdout) ? 0 : parseSize('read', '--ack-lag', values['ack-lag']) ?? defaultAckLag()
    if (lag > 0 && settings.maxUnacked === undefined && settings['checkpoint.maxUnacked'] === undefined) {
      // Each line is at least a byte, so the window holds at most `lag` records: it must never stall reading.
      settings.maxUnacked = lag + (SNAPSHOT_SPECS.find((s) => s.name === 'maxUnacked')?.default as number)
    }
    if (settings.table === undefined && !many) throw usageError('read', '--table is required (or --tables, --table-prefix, --table-regex, --table-tags for many)')
    const formatSetting = takeSetting(settings, 'sdk.record.format', 'recordFormat')
    const optionsSetting = takeSetting(settings, 'sdk.record.format.options', 'recordFormatOptions')
    if (values.format !== undefined && formatSetting !== undefined) throw usageError('read', '--format and -s sdk.record.format=… set the same option; give only one')
    if (values['format-options'] !== undefined && optionsSetting !== undefined) throw usageError('read', '--format-options and -s sdk.record.format.options=… set the same option; give only one')
    const serialize = await openSerializer(String(values.format ?? formatSetting ?? 'opencdc/json'), String(values['format-options'] ?? optionsSetting ?? ''))

    const metrics = await startMetricsServer('read', values.metrics, ctx.stderr)
    const ui = createUi({ ...values, stderr: ctx.stderr })
    const deadLetter = await streamDeadLetter('read', settings, values['dead-letter'])
    const source = await openSource({ ...settings, ...(metrics !== undefined ? { metrics: metrics.registry } : {}) }).catch(async (err) => { await deadLetter?.close(); await metrics?.close(); throw err })
    source.on('warning', (err: OpenCDCError) => { ui.log.warn(err.code === 'ERR_DDB_UNACKED_LIMIT' ? err.message : `${err.message} (written to ${String(deadLetter?.path)})`) })
    logTableEvents(source, ui)
    const progress = trackProgress(source, ui)
    const stall = guardStalls([source], ui.log, values['exit-on-stall'] === true, async () => { await source.flushCheckpoint() })
    const window = new AckWindow<Uint8Array>(lag, (position) => source.ack(position))
    let count = 0
    let why = 'end' as TakeEnd
    const tally = Object.assign(ctx.tally, { read: 0, written: 0, deadLettered: 0 })
    try {
      for await (const record of take<OpenCDCRecord>(source, { signal: ctx.signal, idleMs, maxRecords }, (w) => { why = w })) {
        tally.read++
        const line = serialize(record)
        const bytes = Buffer.byteLength(line)
        // Acknowledged (and so checkpointed) once the line left the process and, on a pipe, `lag` bytes followed it.
        if (!await writeOut(ctx.stdout, line, ctx.signal, () => window.written(record.position, bytes))) {
          why = 'stopped'
          break
        }
        count++
        tally.written = count
      }
      if (why !== 'stopped' && !ctx.signal.aborted) {
        // Ended by itself (input exhausted, idle, --max-records): once stdout has every line, its reader can read them all.
        await flushed(ctx.stdout)
        if (!ctx.signal.aborted && !outputClosed(ctx.stdout, ctx.signal)) window.finish()
      }
      ui.log.info(`read ${count} records (${why === 'end' ? 'end of stream' : why === 'idle' ? 'idle' : why === 'max' ? '--max-records reached' : 'stopped'})`)
    } catch (err) {
      stall.check(err)
    } finally {
      progress.stop()
      ui.close()
      await flushed(ctx.stdout)
      await close(source)
      await deadLetter?.close()
      tally.deadLettered = deadLetter?.count ?? 0
      // The source saved its checkpoint when it ended; acknowledgements made after that (finish, late write callbacks) are saved here.
      await source.flushCheckpoint()
      await metrics?.close()
    }
    stall.check()
    return 0
  }
}
