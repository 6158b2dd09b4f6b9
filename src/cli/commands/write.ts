import { ReadStream, statSync } from 'node:fs'
import type { OpenCDCRecord } from '../../model/record.js'
import { BIN, connectionSettings, parseCommandArgs, usageError } from '../support/args.js'
import { applyFlags, COMMON_FLAGS, flagHelp, flagOptions, FLAGS, type Flag } from '../support/flags.js'
import { ALL_DESTINATION_SPECS } from '../../writable/options.js'
import { openDestination, openSerializer, readOptionsOf, type BadLineMark } from '../support/connectors.js'
import { inputOptions, openInput } from './write-input.js'
import { DeadLetterFile, withoutBadLines } from '../support/dead-letter.js'
import { close, counted, take } from '../support/flow.js'
import { parseFormatOptions } from '../../transforms/format-options.js'
import { writeAll } from '../../writable/write-all.js'
import type { Command } from '../support/runtime.js'
import { startMetricsServer } from '../support/metrics-server.js'
import { guardStalls, STALL_FLAGS, type StallFlagValues } from '../support/stall-flags.js'
import { createUi } from '../support/ui.js'

const FLAG_LIST: readonly Flag[] = [
  { ...FLAGS.table, help: 'table to write (or -s table=T)' },
  FLAGS.endpoint,
  FLAGS.region,
  { name: 'input', value: 'FILE|-', help: 'what to read (default -, stdin); a folder holding manifest-files.json or\ns3://bucket/prefix/AWSDynamoDB/<export-id>/ reads a whole DynamoDB export\n(-s s3.endpoint=URL for an S3-compatible server)' },
  { name: 'input-format', value: 'K', help: 'auto (default: detected), aws-scan (aws dynamodb scan/query output),\nexport (export data file, .json.gz or not), opencdc-array, opencdc-jsonl\n(or -s input.format=K)' },
  { name: 'format-options', value: 'S', help: 'the options the lines were written with: opencdc.dynamodbJson=true\nfor typed DynamoDB JSON, opencdc.typeHints=false to ignore the\n"dynamodb.types" metadata (sets and binaries then arrive as lists\nand base64 strings)' },
  FLAGS.rate,
  FLAGS.burst,
  FLAGS.batchSize,
  FLAGS.metrics,
  ...STALL_FLAGS,
  FLAGS.batchDelay,
  { ...FLAGS.deadLetter, help: 'append records that cannot be written, and lines that do not parse,\nto FILE (JSON Lines with the error) instead of failing' },
  { ...FLAGS.setting, help: 'any destination setting verbatim (repeatable)' },
  ...COMMON_FLAGS
]

const help = `Usage: ${BIN} write --table T [options] [-s key=value]…

Reads OpenCDC JSON Lines (what "${BIN} read" prints, or Conduit's opencdc/json), a JSON array of
records, \`aws dynamodb scan\` output or a DynamoDB export (a data file, a folder or S3) and applies
them to the table: create/snapshot/update put the item, delete removes it.
Writes are batched (BatchWriteItem), retried and, if asked, rate-limited.

Options:
${flagHelp(FLAG_LIST)}
Examples:
  ${BIN} write --table orders_copy < orders.jsonl
  aws dynamodb scan --table-name orders > scan.json; ${BIN} write --table orders_copy --input scan.json
  ${BIN} write --table orders_copy --input s3://dumps/exports/AWSDynamoDB/01700000000000-abcdef12/
  ${BIN} read --table orders --snapshot-only | ${BIN} write --table orders_copy
  ${BIN} write --table orders --input big.jsonl --rate 500 --burst 100 --dead-letter rejected.jsonl
`

interface WriteArgs extends StallFlagValues {
  table?: string
  endpoint?: string
  region?: string
  setting?: string[]
  input?: string
  'input-format'?: string
  'format-options'?: string
  rate?: string
  burst?: string
  'batch-size'?: string
  'batch-delay'?: string
  'dead-letter'?: string
  metrics?: string
  quiet?: boolean
  verbose?: boolean
}

/** The opencdc/json options the lines were written with → parser options; a bad one is a usage error. */
export function inputFormatOptions (command: string, text: string | undefined): { dynamodbJson: boolean, typeHints: boolean } {
  for (const key of Object.keys(parseFormatOptions(text ?? ''))) {
    if (key !== 'opencdc.dynamodbJson' && key !== 'opencdc.typeHints') throw usageError(command, `--format-options: the only input options are opencdc.dynamodbJson=true|false and opencdc.typeHints=true|false, got ${JSON.stringify(key)}`)
  }
  try {
    return readOptionsOf('opencdc/json', text ?? '')
  } catch (err) {
    throw usageError(command, `--format-options: ${(err as Error).message}`)
  }
}

export const writeCommand: Command = {
  name: 'write',
  summary: 'apply OpenCDC JSON Lines from stdin or a file to a table',
  help,
  async run (argv, ctx) {
    const { values } = parseCommandArgs<WriteArgs>('write', argv, flagOptions(FLAG_LIST))
    const settings = connectionSettings('write', values, ctx.env)
    applyFlags('write', settings, FLAG_LIST, values, ALL_DESTINATION_SPECS)
    if (settings.table === undefined) throw usageError('write', '--table is required')
    const inputOpts = inputOptions(settings, values['input-format'], inputFormatOptions('write', values['format-options']))
    const metrics = await startMetricsServer('write', values.metrics, ctx.stderr)
    const ui = createUi({ ...values, stderr: ctx.stderr })
    const deadLetter = values['dead-letter'] !== undefined ? new DeadLetterFile(values['dead-letter'], await openSerializer('opencdc/json', '')) : undefined
    let written = 0
    const tally = Object.assign(ctx.tally, { read: 0, written: 0, deadLettered: 0 })
    const bar = ui.progress('write')
    const inputPath = values.input ?? '-'
    // For a file, the total is estimated from the bytes parsed so far, which gives the bar an ETA.
    const size = inputPath !== '-' ? statSync(inputPath, { throwIfNoEntry: false })?.size ?? 0 : 0
    let parsed = 0
    let bytesRead = (): number => 0
    const estimate = (): number | undefined => size > 0 && bytesRead() > 0 ? Math.round(parsed * size / bytesRead()) : undefined
    const dest = await openDestination({
      ...settings,
      ...(metrics !== undefined ? { metrics: metrics.registry } : {}),
      onWritten: (records: OpenCDCRecord[]) => { written += records.length; tally.written = written; bar.update(written, estimate()) },
      ...(deadLetter !== undefined ? { deadLetter: (record: OpenCDCRecord, err: Error) => { deadLetter.record(record, err); tally.deadLettered = deadLetter.count } } : {})
    })
    const { input, parser } = openInput(inputPath, inputOpts)
    if (input instanceof ReadStream) bytesRead = () => input.bytesRead
    if (inputPath === '-' && process.stdin.isTTY) ui.log.info('reading OpenCDC JSON Lines from stdin; Ctrl-D ends the input')
    const stall = guardStalls([dest], ui.log, values['exit-on-stall'] === true, async () => {})
    try {
      const records = withoutBadLines(counted(take<OpenCDCRecord | BadLineMark>(parser, { signal: ctx.signal }), () => { tally.read++ }), deadLetter)
      await writeAll(counted(records, () => { parsed++ }), dest)
    } catch (err) {
      stall.check(err)
    } finally {
      bar.stop()
      if (input !== undefined && input !== process.stdin) input.destroy()
      await close(parser)
      await deadLetter?.close()
      tally.deadLettered = deadLetter?.count ?? 0
      await metrics?.close()
    }
    stall.check()
    if (deadLetter !== undefined && deadLetter.count > 0) ui.log.warn(`${deadLetter.count} records or lines could not be written; see ${deadLetter.path}`)
    ui.close()
    return 0
  }
}
