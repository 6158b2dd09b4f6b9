import { ExportTableToPointInTimeCommand, type DynamoDBClient, type ExportDescription } from '@aws-sdk/client-dynamodb'
import type { ExportClient } from '../../src/readable/snapshot/export-call.js'
import { exportTable, type ExportFiles } from './export.js'
import type { TestS3 } from './s3.js'

export interface FakeExport extends ExportClient {
  /** ExportTableToPointInTime requests received, and DescribeExport polls. */
  readonly calls: { start: number, describe: number }
  /** The export made at the (last) request: its files and the items it holds. */
  readonly made: ExportFiles | undefined
}

/**
 * The one faked piece of the export snapshot: DynamoDB Local has no ExportTableToPointInTime / DescribeExport.
 * At the request this client does what AWS does, for real: it reads the real table (the cut), lays the files out
 * as AWS documents them (test/helpers/export.ts) and uploads them to the real S3 server (s3rver); DescribeExport
 * then answers IN_PROGRESS once and COMPLETED with the manifest's key. `around` runs writes just before and
 * just after the cut, inside the request, so a test can put changes on both sides of it.
 */
export function fakeExport (ddb: DynamoDBClient, table: string, s3: TestS3, opts: { fileCount?: number, beforeCut?: () => Promise<void>, afterCut?: () => Promise<void> } = {}): FakeExport {
  const calls = { start: 0, describe: 0 }
  let made: ExportFiles | undefined
  let bucket = ''
  const arnOf = (exp: ExportFiles): string => `arn:aws:dynamodb:us-east-1:000000000000:table/${table}/export/${exp.base.slice(exp.base.lastIndexOf('/') + 1)}`
  return {
    calls,
    get made () { return made },
    send: async (cmd) => {
      if (cmd instanceof ExportTableToPointInTimeCommand) {
        calls.start++
        bucket = cmd.input.S3Bucket as string
        await opts.beforeCut?.()
        const exp = made = await exportTable(ddb, table, { ...(cmd.input.S3Prefix !== undefined ? { prefix: cmd.input.S3Prefix } : {}), fileCount: opts.fileCount ?? 3, bucket })
        for (const [key, body] of exp.files) await s3.put(bucket, key, body)
        await opts.afterCut?.()
        return { ExportDescription: { ExportArn: arnOf(exp), ExportStatus: 'IN_PROGRESS' } }
      }
      calls.describe++
      if (made === undefined) throw Object.assign(new Error('Export not found'), { name: 'ExportNotFoundException' })
      const d: ExportDescription = calls.describe === 1
        ? { ExportArn: arnOf(made), ExportStatus: 'IN_PROGRESS' }
        : { ExportArn: arnOf(made), ExportStatus: 'COMPLETED', S3Bucket: bucket, ExportManifest: `${made.base}/manifest-summary.json`, ItemCount: made.items.length }
      return { ExportDescription: d }
    }
  }
}
