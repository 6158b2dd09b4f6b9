import { checkCheckpoint, type SourceCheckpoint } from '../../checkpoint/document.js'
import { FileCheckpointStore } from '../../checkpoint/stores.js'
import { OpenCDCError } from '../../errors/index.js'
import { assertHandoffReady, workersStatus, type WorkersStatus } from '../../readable/snapshot/status.js'
import { BIN, parseCommandArgs, parseCount, usageError } from '../support/args.js'
import { writeOut, type Command } from '../support/runtime.js'

const help = `Usage: ${BIN} status --checkpoint 'FILE-{worker}.json' --workers N [--json]

Reads the checkpoints of a snapshot sharded across N workers (read/copy --worker i/N) and says which
workers are done and when the earliest one started. Exits 0 only when the hand-off to the changes is
safe: every worker done and DynamoDB Streams (24 h retention, less a 1 h margin) still reaching back to
the earliest start; else exits 1 with ERR_DDB_WORKERS_INCOMPLETE or ERR_DDB_STREAM_RETENTION_GAP.
Run it before enabling the Lambda mapping or the single read --skip-snapshot (docs/scale-out.md).

Options:
  --checkpoint T          checkpoint file of each worker; {worker} becomes 0 … N-1
  --workers N             how many workers the snapshot was split across
  --json                  print the status as one JSON object instead of lines
  -q, --quiet, -v, --verbose, -h, --help

Examples:
  ${BIN} status --checkpoint 'ckpt/orders-{worker}.json' --workers 4 && enable-the-mapping
`

async function load (file: string): Promise<SourceCheckpoint | undefined> {
  const doc = await new FileCheckpointStore<unknown>(file).load()
  if (doc === undefined || doc === null) return undefined
  return checkCheckpoint(doc, String((doc as { table?: unknown }).table), file)
}

function lines (s: WorkersStatus): string {
  const out = s.workers.map((w) => `worker ${w.index}/${s.count}: ${w.state}${w.state === 'missing' ? '' : ` (${w.segmentsDone}/${w.segmentsOwned} segments, started ${w.startedAt ?? '?'})`}  ${w.source}`)
  out.push(`${s.workers.filter((w) => w.state === 'done').length} of ${s.count} workers done; earliest start ${s.earliestStart ?? 'unknown'}`)
  if (s.retentionRemainingMs !== undefined) out.push(`stream retention reaches back to it for ${(s.retentionRemainingMs / 3_600_000).toFixed(1)} h more`)
  return out.join('\n') + '\n'
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'say which snapshot workers are done and whether the hand-off to changes is safe',
  help,
  async run (argv, ctx) {
    const { values } = parseCommandArgs<{ checkpoint?: string, workers?: string, json?: boolean }>('status', argv, {
      checkpoint: { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean' }
    })
    const count = parseCount('status', '--workers', values.workers)
    if (values.checkpoint === undefined || count === undefined) throw usageError('status', '--checkpoint and --workers are required')
    if (count > 1 && !values.checkpoint.includes('{worker}')) throw usageError('status', '--checkpoint must contain {worker} (each worker has its own file)')
    const files = Array.from({ length: count }, (_, i) => (values.checkpoint as string).replaceAll('{worker}', String(i)))
    const docs = await Promise.all(files.map(async (source) => ({ source, doc: await load(source) })))
    const tables = new Set(docs.flatMap((d) => d.doc === undefined ? [] : [d.doc.table]))
    if (tables.size > 1) throw new OpenCDCError('ERR_DDB_WORKER_MISMATCH', `worker checkpoints belong to different tables: ${[...tables].join(', ')}`, { tables: [...tables] })
    const status = workersStatus(docs)
    const { retentionError, ...shown } = status
    await writeOut(ctx.stdout, values.json === true ? JSON.stringify({ ...shown, ...(retentionError !== undefined ? { retentionError: retentionError.code } : {}) }) + '\n' : lines(status), ctx.signal)
    assertHandoffReady(status)
    return 0
  }
}
