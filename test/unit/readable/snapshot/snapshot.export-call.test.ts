import t from 'tap'
import { DescribeExportCommand, ExportTableToPointInTimeCommand, type ExportDescription } from '@aws-sdk/client-dynamodb'
import { exportFolder, startExport, waitForExport, type ExportClient } from '../../../../src/readable/snapshot/export-call.js'

// The one faked call of the export snapshot: DynamoDB Local answers ExportTableToPointInTime and DescribeExport with
// UnknownOperationException, so the request and the polling are covered here against a scripted client. Everything
// after them (files in S3 → records → CDC) runs for real in test/integration/readable/snapshot/snapshot.export.test.ts.

type Sent = ExportTableToPointInTimeCommand | DescribeExportCommand
const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/export/01700000000000-abcdef12'

function scripted (answers: Array<(cmd: Sent) => ExportDescription | Error>): ExportClient & { sent: Sent[] } {
  const sent: Sent[] = []
  return {
    sent,
    send: async (cmd) => {
      sent.push(cmd)
      const next = answers.shift()
      if (next === undefined) throw new Error('no more scripted answers')
      const out = next(cmd)
      if (out instanceof Error) throw out
      return { ExportDescription: out }
    }
  }
}

const signal = new AbortController().signal
const awsError = (name: string, message: string, status = 400): Error => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } })

t.test('startExport asks for a full DYNAMODB_JSON export of the table into the bucket and prefix, with no ExportTime, and returns its ARN', async (t) => {
  const client = scripted([() => ({ ExportArn: ARN, ExportStatus: 'IN_PROGRESS' })])
  const arn = await startExport(client, { table: 'orders', tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders', bucket: 'dumps', prefix: 'exports/orders', retries: 0, signal })
  t.equal(arn, ARN)
  const cmd = client.sent[0] as ExportTableToPointInTimeCommand
  t.ok(cmd instanceof ExportTableToPointInTimeCommand)
  t.match(cmd.input, { TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders', S3Bucket: 'dumps', S3Prefix: 'exports/orders', ExportFormat: 'DYNAMODB_JSON', ExportType: 'FULL_EXPORT' })
  // AWS's own "now" is the cut: a client clock behind AWS's could otherwise put the cut before the stream anchor.
  t.equal(cmd.input.ExportTime, undefined, 'no ExportTime: the cut is AWS\'s current time, after the anchor')
  t.type(cmd.input.ClientToken, 'string')
})

t.test('a retried request after a transient error reuses its ClientToken, so AWS starts one export, not two', async (t) => {
  const client = scripted([() => awsError('InternalServerError', 'try again', 500), () => ({ ExportArn: ARN, ExportStatus: 'IN_PROGRESS' })])
  await startExport(client, { table: 'orders', tableArn: 'arn:t', bucket: 'dumps', retries: 2, signal })
  t.equal(client.sent.length, 2)
  const [a, b] = client.sent as ExportTableToPointInTimeCommand[]
  t.equal(a?.input.ClientToken, b?.input.ClientToken)
  t.equal(a?.input.S3Prefix, undefined, 'no prefix given: none sent')
})

t.test('point-in-time recovery off becomes ERR_DDB_EXPORT_FAILED saying how to enable it, with the AWS error as cause', async (t) => {
  const pitr = awsError('PointInTimeRecoveryUnavailableException', 'Point in time recovery is not enabled for table \'orders\'')
  const client = scripted([() => pitr])
  const err = await startExport(client, { table: 'orders', tableArn: 'arn:t', bucket: 'dumps', retries: 3, signal }).catch((e: unknown) => e) as Error & { code?: string, details?: Record<string, unknown> }
  t.equal(err.code, 'ERR_DDB_EXPORT_FAILED')
  t.match(err.message, /export of table "orders": ExportTableToPointInTime to s3:\/\/dumps\/ failed: PointInTimeRecoveryUnavailableException: Point in time recovery is not enabled/)
  t.match(err.message, /update-continuous-backups --table-name orders --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true/)
  t.equal(err.details?.reason, 'pitr-disabled')
  t.equal(err.cause, pitr)
  t.equal(client.sent.length, 1, 'a final error is not retried')
})

t.test('waitForExport polls DescribeExport of the ARN until COMPLETED and returns the export folder from its manifest key', async (t) => {
  const client = scripted([
    () => ({ ExportArn: ARN, ExportStatus: 'IN_PROGRESS' }),
    () => ({ ExportArn: ARN, ExportStatus: 'IN_PROGRESS' }),
    () => ({ ExportArn: ARN, ExportStatus: 'COMPLETED', S3Bucket: 'dumps', S3Prefix: 'exports/orders', ExportManifest: 'exports/orders/AWSDynamoDB/01700000000000-abcdef12/manifest-summary.json' })
  ])
  const polls: string[] = []
  const folder = await waitForExport(client, ARN, { table: 'orders', pollInterval: 1, retries: 0, signal, onPoll: (d) => { polls.push(d.ExportStatus as string) } })
  t.equal(folder, 's3://dumps/exports/orders/AWSDynamoDB/01700000000000-abcdef12')
  t.same(polls, ['IN_PROGRESS', 'IN_PROGRESS'])
  t.ok(client.sent.every((c) => c instanceof DescribeExportCommand && c.input.ExportArn === ARN), 'every poll describes this export')
  t.equal(client.sent.length, 3)
})

t.test('a FAILED export becomes ERR_DDB_EXPORT_FAILED naming the ARN, AWS\'s failure code and message', async (t) => {
  const client = scripted([() => ({ ExportArn: ARN, ExportStatus: 'FAILED', FailureCode: 'S3AccessDenied', FailureMessage: 'Access Denied to bucket dumps' })])
  const err = await waitForExport(client, ARN, { table: 'orders', pollInterval: 1, retries: 0, signal }).catch((e: unknown) => e) as Error & { code?: string, details?: Record<string, unknown> }
  t.equal(err.code, 'ERR_DDB_EXPORT_FAILED')
  t.match(err.message, `export of table "orders": export ${ARN} FAILED: S3AccessDenied: Access Denied to bucket dumps`)
  t.match(err.details, { exportArn: ARN, reason: 'failed', failureCode: 'S3AccessDenied' })
})

t.test('a DescribeExport error that stays after the retries is ERR_DDB_EXPORT_FAILED with the AWS error as cause', async (t) => {
  const denied = awsError('AccessDeniedException', 'not authorized to perform dynamodb:DescribeExport')
  const client = scripted([() => denied])
  const err = await waitForExport(client, ARN, { table: 'orders', pollInterval: 1, retries: 2, signal }).catch((e: unknown) => e) as Error & { code?: string }
  t.equal(err.code, 'ERR_DDB_EXPORT_FAILED')
  t.match(err.message, /DescribeExport of .* failed: AccessDeniedException: not authorized/)
  t.equal(err.cause, denied)
})

t.test('aborting while an export is in progress ends the wait with the abort, not a failure', async (t) => {
  const ac = new AbortController()
  const client = scripted([() => { setImmediate(() => { ac.abort(Object.assign(new Error('stop'), { name: 'AbortError' })) }); return { ExportArn: ARN, ExportStatus: 'IN_PROGRESS' } }])
  const err = await waitForExport(client, ARN, { table: 'orders', pollInterval: 60_000, retries: 0, signal: ac.signal }).catch((e: unknown) => e) as Error & { code?: string }
  t.equal(err.name, 'AbortError')
  t.equal(err.code, undefined)
})

t.test('exportFolder without a manifest key derives <prefix>/AWSDynamoDB/<export-id> from the ARN', async (t) => {
  t.equal(exportFolder({ ExportArn: ARN, S3Bucket: 'dumps', S3Prefix: 'exports/orders/' }), 's3://dumps/exports/orders/AWSDynamoDB/01700000000000-abcdef12')
  t.equal(exportFolder({ ExportArn: ARN, S3Bucket: 'dumps' }), 's3://dumps/AWSDynamoDB/01700000000000-abcdef12')
})
