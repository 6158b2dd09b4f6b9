// A copying process for snapshot.export-crash.test.ts: an export snapshot (an existing export in s3rver, snapshot
// only) → ackOnWrite → a rate-limited destination, with a checkpoint file; killed by the test. DescribeExport is the
// one faked call (DynamoDB Local lacks it): it answers COMPLETED with the manifest the test uploaded.
// Prints "DONE <records>" when the copy ends by itself.
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { createSource } from '../../../../src/readable/source.js'
import { ackOnWrite } from '../../../../src/readable/ack.js'
import { createDestination } from '../../../../src/writable/destination.js'

const [endpoint, table, dest, checkpoint, s3Endpoint, bucket, manifestKey, exportArn] = process.argv.slice(2) as [string, string, string, string, string, string, string, string]
const exportClient = { send: async () => ({ ExportDescription: { ExportArn: exportArn, ExportStatus: 'COMPLETED' as const, S3Bucket: bucket, ExportManifest: manifestKey } }) }
const exportS3 = { endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
const source = createSource({ table, endpoint, checkpoint, checkpointInterval: 0, snapshotOnly: true, snapshotFrom: 'export', exportArn, exportClient, exportS3, exportConcurrency: 2 })
let records = 0
const count = new Transform({ objectMode: true, transform (r, _e, cb) { records++; cb(null, r) } })
await pipeline(source, count, ackOnWrite(source, createDestination({ table: dest, endpoint, ratePerSecond: 20, rateBurst: 5, 'sdk.batch.size': '5', highWaterMark: 5 })))
process.stdout.write(`DONE ${records}\n`)
