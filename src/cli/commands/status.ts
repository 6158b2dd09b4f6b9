import { createDynamoDBClient } from '../../aws/clients.js'
import { DynamoDBCheckpointStore } from '../../checkpoint/dynamodb.js'
import { FileCheckpointStore } from '../../checkpoint/stores.js'
import { assertHandoffReady, type WorkersStatus } from '../../readable/snapshot/status.js'
import { loadWorkersStatus, type WorkerCheckpointSource } from '../../readable/snapshot/status-load.js'
import { BIN, CONNECTION_OPTIONS, connectionSettings, parseCommandArgs, parseCount, usageError } from '../support/args.js'
import { connectionOf } from './copy-table.js'
import { writeOut, type Command } from '../support/runtime.js'

const help = `Usage: ${BIN} status --checkpoint 'FILE-{worker}.json' --workers N [--json]
       ${BIN} status --checkpoint-table T --checkpoint-id 'ID-{worker}' --workers N [--endpoint URL] [--json]

Reads the checkpoints of a snapshot sharded across N workers (read/copy --worker i/N) and says which
workers are done and when the earliest one started. Exits 0 only when the hand-off to the changes is
safe: every worker done and DynamoDB Streams (24 h retention, less a 1 h margin) still reaching back to
the earliest start; else exits 1 with ERR_DDB_WORKERS_INCOMPLETE or ERR_DDB_STREAM_RETENTION_GAP.
Run it before enabling the Lambda mapping or the single read --skip-snapshot (docs/scale-out.md).

Options:
  --checkpoint T          checkpoint file of each worker; {worker} becomes 0 … N-1
  --checkpoint-table T    or: the DynamoDB table of DynamoDBCheckpointStore (partition key id)
  --checkpoint-id T       with --checkpoint-table: each worker's item id; {worker} becomes 0 … N-1
  --endpoint URL          endpoint of the checkpoint table (or DYNAMODB_ENDPOINT); --region R, -s aws.*=…
  --workers N             how many workers the snapshot was split across
  --json                  print the status as one JSON object instead of lines
  -q, --quiet, -v, --verbose, -h, --help

Examples:
  ${BIN} status --checkpoint 'ckpt/orders-{worker}.json' --workers 4 && enable-the-mapping
  ${BIN} status --checkpoint-table checkpoints --checkpoint-id 'orders-{worker}' --workers 4 --region eu-west-1
`

interface StatusArgs { checkpoint?: string, 'checkpoint-table'?: string, 'checkpoint-id'?: string, workers?: string, json?: boolean, endpoint?: string, region?: string, setting?: string[] }

function names (template: string, count: number, flag: string): string[] {
  if (count > 1 && !template.includes('{worker}')) throw usageError('status', `${flag} must contain {worker} (each worker has its own checkpoint)`)
  return Array.from({ length: count }, (_, i) => template.replaceAll('{worker}', String(i)))
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
    const { values } = parseCommandArgs<StatusArgs>('status', argv, {
      checkpoint: { type: 'string' },
      'checkpoint-table': { type: 'string' },
      'checkpoint-id': { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean' },
      ...CONNECTION_OPTIONS
    })
    const count = parseCount('status', '--workers', values.workers)
    const table = values['checkpoint-table']
    const id = values['checkpoint-id']
    if (count === undefined) throw usageError('status', '--workers is required')
    if ((values.checkpoint === undefined) === (table === undefined)) throw usageError('status', 'give either --checkpoint (files) or --checkpoint-table with --checkpoint-id')
    if ((table === undefined) !== (id === undefined)) throw usageError('status', '--checkpoint-table and --checkpoint-id go together')
    const client = table !== undefined ? createDynamoDBClient(connectionOf(connectionSettings('status', values, ctx.env), 'status')) : undefined
    let status: WorkersStatus
    try {
      const stores: WorkerCheckpointSource[] = client !== undefined
        ? names(id as string, count, '--checkpoint-id').map((itemId) => ({ source: `${table as string}/${itemId}`, store: new DynamoDBCheckpointStore({ client, table: table as string, id: itemId }) }))
        : names(values.checkpoint as string, count, '--checkpoint').map((file) => ({ source: file, store: new FileCheckpointStore<unknown>(file) }))
      status = await loadWorkersStatus(stores)
    } finally {
      client?.destroy()
    }
    const { retentionError, ...shown } = status
    await writeOut(ctx.stdout, values.json === true ? JSON.stringify({ ...shown, ...(retentionError !== undefined ? { retentionError: retentionError.code } : {}) }) + '\n' : lines(status), ctx.signal)
    assertHandoffReady(status)
    return 0
  }
}
