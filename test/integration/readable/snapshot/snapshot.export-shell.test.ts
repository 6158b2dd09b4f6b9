import t from 'tap'
import { once } from 'node:events'
import { DescribeExportCommand, ExportTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { fakeExport } from '../../../helpers/fake-export.js'
import { useS3 } from '../../../helpers/s3.js'
import { loadUniverse } from '../../../helpers/universe.js'
import { createSource } from '../../../../src/readable/source.js'
import type { SourceInput } from '../../../../src/readable/options.js'
import type { ExportClient } from '../../../../src/readable/snapshot/export-call.js'

// The export call is faked (DynamoDB Local lacks it: test/helpers/fake-export.ts); table, S3 files and stream are real.
const ddb = await useDynamo(t)
const s3 = await useS3(t)
await s3.createBucket('dumps')
const { table } = await loadUniverse(ddb, { key: 'S', count: 60, seed: 1620, stream: 'NEW_AND_OLD_IMAGES', proto: false })
const base = { table, endpoint: ddb.endpoint, snapshotFrom: 'export', exportS3Bucket: 'dumps', exportS3: s3.config, exportDelay: 0, exportPollInterval: 10 }

t.test('a slow consumer holds the buffer at highWaterMark plus one record per file being read', async (t) => {
  const exp = fakeExport(ddb.client, table, s3, { fileCount: 6 })
  const source = createSource({ ...base, exportClient: exp, exportConcurrency: 3, highWaterMark: 5, snapshotOnly: true } as SourceInput)
  source.pause()
  source.once('readable', () => {})
  // Wait until the export is read into the buffer as far as it goes (no timing: until the length stops changing over several polls).
  let stable = 0
  let length = -1
  while (stable < 20) {
    await new Promise((resolve) => setTimeout(resolve, 25))
    stable = source.readableLength === length && length > 0 ? stable + 1 : 0
    length = source.readableLength
  }
  t.ok(length <= 5 + 3, `buffered ${length} records (highWaterMark 5 + 3 files at once)`)
  let read = 0 // 'data' also hands over the records already buffered
  source.on('data', () => { read++ })
  source.resume()
  await once(source, 'end')
  t.equal(read, exp.made?.items.length, 'then every record comes once the consumer reads')
})

t.test('an export that ends FAILED destroys the source with ERR_DDB_EXPORT_FAILED naming AWS\'s failure', async (t) => {
  const real = fakeExport(ddb.client, table, s3)
  const failing: ExportClient = {
    send: async (cmd) => cmd instanceof DescribeExportCommand
      ? { ExportDescription: { ExportArn: cmd.input.ExportArn, ExportStatus: 'FAILED', FailureCode: 'S3AccessDenied', FailureMessage: 'Access Denied' } }
      : await real.send(cmd)
  }
  const source = createSource({ ...base, exportClient: failing } as SourceInput)
  const err = await (async () => { for await (const _ of source) { /* nothing comes */ } })().catch((e: unknown) => e) as Error & { code?: string }
  t.equal(err?.code, 'ERR_DDB_EXPORT_FAILED')
  t.match(err?.message, /FAILED: S3AccessDenied: Access Denied/)
})

t.test('destroy while the export is still running stops the polling and closes the source', async (t) => {
  let polls = 0
  let polled!: () => void
  const firstPoll = new Promise<void>((resolve) => { polled = resolve })
  const running: ExportClient = {
    send: async (cmd) => {
      if (cmd instanceof DescribeExportCommand) { polls++; polled(); return { ExportDescription: { ExportArn: 'arn:x', ExportStatus: 'IN_PROGRESS' } } }
      return { ExportDescription: { ExportArn: 'arn:x', ExportStatus: 'IN_PROGRESS' } }
    }
  }
  const source = createSource({ ...base, exportClient: running, exportPollInterval: 3_600_000 } as SourceInput)
  source.resume()
  await firstPoll
  source.destroy()
  await once(source, 'close')
  t.equal(polls, 1, 'no poll after the destroy')
  t.ok(source.destroyed)
})

t.test('snapshotOnly with exportArn reads that existing export and requests none', async (t) => {
  const exp = fakeExport(ddb.client, table, s3, { fileCount: 2 })
  const made = await exp.send(new ExportTableToPointInTimeCommand({ TableArn: 'arn:t', S3Bucket: 'dumps', S3Prefix: 'older' }))
  const source = createSource({ ...base, exportClient: exp, exportArn: made.ExportDescription?.ExportArn, snapshotOnly: true } as SourceInput)
  let n = 0
  for await (const _ of source) n++
  t.equal(n, exp.made?.items.length, 'every item of the existing export')
  t.equal(exp.calls.start, 1, 'no new export requested')
})
