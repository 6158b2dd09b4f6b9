import { DescribeExportCommand, ExportTableToPointInTimeCommand, type ExportDescription } from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import { sleep } from '../../aws/clients.js'
import { retry, retryPolicy } from '../../aws/retry.js'
import { OpenCDCError } from '../../errors/index.js'

/**
 * The only two DynamoDB calls of the export snapshot: ExportTableToPointInTime and DescribeExport. DynamoDB
 * Local answers both with UnknownOperationException, so they live alone here, unit-tested with a fake
 * client; everything after them (the files in S3 → records → CDC) runs for real in the tests.
 */
export interface ExportClient {
  send: (command: ExportTableToPointInTimeCommand | DescribeExportCommand, options?: { abortSignal?: AbortSignal }) => Promise<{ ExportDescription?: ExportDescription }>
}

export interface StartExportInput {
  table: string
  tableArn: string
  bucket: string
  /** Key prefix in the bucket; AWS writes <prefix>/AWSDynamoDB/<export-id>/. */
  prefix?: string | undefined
  retries: number
  signal: AbortSignal
}

function exportFailed (table: string, what: string, details: Record<string, unknown>, cause?: unknown): OpenCDCError {
  return new OpenCDCError('ERR_DDB_EXPORT_FAILED', `export of table "${table}": ${what}`, { table, ...details }, cause !== undefined ? { cause } : undefined)
}

const PITR_HINT = 'enable point-in-time recovery first: aws dynamodb update-continuous-backups --table-name <table> --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true'

/**
 * Requests a full DYNAMODB_JSON export and returns its ARN. No ExportTime: AWS takes its own "now", which
 * follows the stream anchor taken before this call (no client clock involved). One ClientToken for every
 * retry, so a retried request after a lost answer does not start a second export.
 */
export async function startExport (client: ExportClient, input: StartExportInput): Promise<string> {
  const token = randomUUID()
  const out = await retry(retryPolicy({ retries: input.retries }), (s) => client.send(new ExportTableToPointInTimeCommand({
    TableArn: input.tableArn,
    S3Bucket: input.bucket,
    ...(input.prefix !== undefined && input.prefix !== '' ? { S3Prefix: input.prefix } : {}),
    ExportFormat: 'DYNAMODB_JSON',
    ExportType: 'FULL_EXPORT',
    ClientToken: token
  }), { abortSignal: s }), input.signal).catch((err: unknown) => {
    if ((err as Error)?.name === 'AbortError') throw err
    const e = err as { name?: string, message?: string }
    const pitr = e.name === 'PointInTimeRecoveryUnavailableException'
    throw exportFailed(input.table, `ExportTableToPointInTime to s3://${input.bucket}/${input.prefix ?? ''} failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}${pitr ? `; ${PITR_HINT.replace('<table>', input.table)}` : ''}`, { bucket: input.bucket, reason: pitr ? 'pitr-disabled' : 'request' }, err)
  })
  const arn = out.ExportDescription?.ExportArn
  if (arn === undefined) throw exportFailed(input.table, 'ExportTableToPointInTime answered without an ExportArn', { reason: 'request' })
  return arn
}

/** Where a completed export's files are: s3://<bucket>/<prefix>/AWSDynamoDB/<export-id> (from its manifest key, else from the ARN). */
export function exportFolder (d: ExportDescription): string {
  const manifest = d.ExportManifest
  if (manifest !== undefined && manifest.includes('/')) return `s3://${d.S3Bucket ?? ''}/${manifest.slice(0, manifest.lastIndexOf('/'))}`
  const id = (d.ExportArn ?? '').slice((d.ExportArn ?? '').lastIndexOf('/') + 1)
  const prefix = (d.S3Prefix ?? '').replace(/\/+$/, '')
  return `s3://${d.S3Bucket ?? ''}/${prefix === '' ? '' : prefix + '/'}AWSDynamoDB/${id}`
}

export interface WaitInput {
  table: string
  pollInterval: number
  retries: number
  signal: AbortSignal
  /** Called after each IN_PROGRESS answer (progress for logs). */
  onPoll?: (d: ExportDescription) => void
}

/** Polls DescribeExport until COMPLETED (→ the export's folder) or FAILED (→ ERR_DDB_EXPORT_FAILED with AWS's failure code and message). */
export async function waitForExport (client: ExportClient, arn: string, input: WaitInput): Promise<string> {
  for (;;) {
    const out = await retry(retryPolicy({ retries: input.retries }), (s) => client.send(new DescribeExportCommand({ ExportArn: arn }), { abortSignal: s }), input.signal).catch((err: unknown) => {
      if ((err as Error)?.name === 'AbortError') throw err
      const e = err as { name?: string, message?: string }
      throw exportFailed(input.table, `DescribeExport of ${arn} failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, { exportArn: arn, reason: 'request' }, err)
    })
    const d = out.ExportDescription ?? {}
    if (d.ExportStatus === 'COMPLETED') return exportFolder({ ExportArn: arn, ...d })
    if (d.ExportStatus === 'FAILED') {
      throw exportFailed(input.table, `export ${arn} FAILED: ${d.FailureCode ?? 'no failure code'}: ${d.FailureMessage ?? 'no failure message'}`, { exportArn: arn, reason: 'failed', failureCode: d.FailureCode ?? null })
    }
    if (d.ExportStatus !== 'IN_PROGRESS') throw exportFailed(input.table, `DescribeExport of ${arn} answered status ${JSON.stringify(d.ExportStatus)}`, { exportArn: arn, reason: 'request' })
    input.onPoll?.(d)
    await sleep(input.pollInterval, input.signal)
  }
}
