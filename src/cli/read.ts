import type { OpenCDCRecord } from '../record.js'
import { BIN, CONNECTION_OPTIONS, connectionSettings, mergeFlag, parseCommandArgs, parseCount, parseDurationFlag, takeSetting, usageError } from './args.js'
import { openSerializer, openSource } from './connectors.js'
import { streamDeadLetter } from './dead-letter.js'
import { close, take, type TakeEnd } from './flow.js'
import { trackProgress } from './progress.js'
import { flushed, writeOut, type Command } from './runtime.js'
import { createUi } from './ui.js'

const help = `Usage: ${BIN} read --table T [options] [-s key=value]…

Prints the table's records on stdout, one per line: a snapshot (parallel Scan) first, then its
changes from DynamoDB Streams, until Ctrl-C (or --max-records / --idle-exit).

Options:
  --table T               table to read (or -s table=T)
  --endpoint URL          DynamoDB endpoint (or -s aws.url=URL, or DYNAMODB_ENDPOINT)
  --region R              AWS region (or -s aws.region=R, or AWS_REGION)
  --skip-snapshot         only changes (skipSnapshot=true)
  --snapshot-only         stop after the snapshot
  --format F              opencdc/json (default), debezium/json or template (sdk.record.format)
  --format-options S      format options (sdk.record.format.options), e.g. position.excluded=true,
                          or the template text for --format template
  --checkpoint FILE       resume from FILE and keep it up to date as lines are written
  --dead-letter FILE      append stream records that cannot be decoded to FILE (one JSON line each,
                          with the error), warn, and go on (cdc.onInvalidRecord=dead-letter);
                          without it such a record stops the command, and a restart stops on it again
  --max-records N         stop after N records
  --idle-exit DURATION    stop after DURATION without a record once the snapshot is read (e.g. 10s)
  -s, --setting K=V       any source setting verbatim (repeatable), e.g. -s snapshot.segments=8
  -q, --quiet             only errors on stderr
  -v, --verbose           debug logs on stderr
  -h, --help              this help

Examples:
  ${BIN} read --table orders --snapshot-only > orders.jsonl
  ${BIN} read --table orders --checkpoint orders.ckpt | gzip > changes.jsonl.gz
  ${BIN} read --table orders --format template --format-options '{{ .Payload.After.id }}' | head
  ${BIN} read --table orders --format debezium/json -s sdk.batch.size=100 | nc localhost 9000
`

interface ReadArgs {
  table?: string
  endpoint?: string
  region?: string
  setting?: string[]
  'skip-snapshot'?: boolean
  'snapshot-only'?: boolean
  format?: string
  'format-options'?: string
  checkpoint?: string
  'dead-letter'?: string
  'max-records'?: string
  'idle-exit'?: string
  quiet?: boolean
  verbose?: boolean
}

export const readCommand: Command = {
  name: 'read',
  summary: 'print a table\'s snapshot and changes as OpenCDC lines on stdout',
  help,
  async run (argv, ctx) {
    const { values } = parseCommandArgs<ReadArgs>('read', argv, {
      ...CONNECTION_OPTIONS,
      table: { type: 'string' },
      'skip-snapshot': { type: 'boolean' },
      'snapshot-only': { type: 'boolean' },
      format: { type: 'string' },
      'format-options': { type: 'string' },
      checkpoint: { type: 'string' },
      'dead-letter': { type: 'string' },
      'max-records': { type: 'string' },
      'idle-exit': { type: 'string' }
    })
    const settings = connectionSettings('read', values, ctx.env)
    mergeFlag('read', settings, 'table', [], values.table, '--table')
    mergeFlag('read', settings, 'skipSnapshot', ['skipSnapshot'], values['skip-snapshot'], '--skip-snapshot')
    mergeFlag('read', settings, 'snapshotOnly', ['snapshot.only'], values['snapshot-only'], '--snapshot-only')
    mergeFlag('read', settings, 'checkpoint', ['checkpoint.file'], values.checkpoint, '--checkpoint')
    const maxRecords = parseCount('read', '--max-records', values['max-records'])
    const idleMs = parseDurationFlag('read', '--idle-exit', values['idle-exit'])
    if (settings.table === undefined) throw usageError('read', '--table is required')
    const formatSetting = takeSetting(settings, 'sdk.record.format', 'recordFormat')
    const optionsSetting = takeSetting(settings, 'sdk.record.format.options', 'recordFormatOptions')
    if (values.format !== undefined && formatSetting !== undefined) throw usageError('read', '--format and -s sdk.record.format=… set the same option; give only one')
    if (values['format-options'] !== undefined && optionsSetting !== undefined) throw usageError('read', '--format-options and -s sdk.record.format.options=… set the same option; give only one')
    const serialize = await openSerializer(String(values.format ?? formatSetting ?? 'opencdc/json'), String(values['format-options'] ?? optionsSetting ?? ''))

    const ui = createUi({ ...values, stderr: ctx.stderr })
    const deadLetter = await streamDeadLetter('read', settings, values['dead-letter'])
    const source = await openSource(settings).catch(async (err) => { await deadLetter?.close(); throw err })
    source.on('warning', (err: Error) => { ui.log.warn(`${err.message} (written to ${String(deadLetter?.path)})`) })
    const progress = trackProgress(source, ui)
    let count = 0
    let why = 'end' as TakeEnd
    try {
      for await (const record of take<OpenCDCRecord>(source, { signal: ctx.signal, idleMs, maxRecords }, (w) => { why = w })) {
        // Acknowledged (and so checkpointed) only once the line has left the process.
        if (!await writeOut(ctx.stdout, serialize(record), ctx.signal, () => source.ack(record))) break
        count++
      }
      ui.log.info(`read ${count} records (${why === 'end' ? 'end of stream' : why === 'idle' ? 'idle' : why === 'max' ? '--max-records reached' : 'stopped'})`)
    } finally {
      progress.stop()
      ui.close()
      await flushed(ctx.stdout)
      await close(source)
      await deadLetter?.close()
    }
    return 0
  }
}
