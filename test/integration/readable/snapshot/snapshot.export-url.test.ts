import t from 'tap'
import { once } from 'node:events'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { useDynamo } from '../../../helpers/dynamo.js'
import { exportTable, writeExportDir } from '../../../helpers/export.js'
import { useS3 } from '../../../helpers/s3.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll } from '../../../helpers/universe.js'
import { tap } from '../../../helpers/universe-path.js'
import { decodeInputPosition } from '../../../../src/inputs/position.js'
import { createSource, type DynamoDBSource } from '../../../../src/readable/source.js'
import type { SourceInput } from '../../../../src/readable/options.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'
import { createDestination } from '../../../../src/writable/destination.js'

// snapshot.export.url: an export already in S3 (s3rver) or on disk, laid out from a real DynamoDB Local table by
// test/helpers/export.ts, read through the source's export engine with no export API call at all.

const ddb = await useDynamo(t)
const s3 = await useS3(t)
await s3.createBucket('dumps')

// Any ExportTableToPointInTime / DescribeExport would fail the test: the export is given by its folder.
const noExportCalls = { calls: 0, send: async () => { noExportCalls.calls++; throw new Error('no export API call expected') } }

const urlOptions = (url: string): Record<string, unknown> => ({ endpoint: ddb.endpoint, exportUrl: url, exportS3: s3.config, exportClient: noExportCalls, snapshotOnly: true })

const drain = (): Writable => new Writable({ objectMode: true, write (_r, _e, cb) { cb() } })

/** Acknowledges the first `n` records, then stops the source (as a killed process would); resolves once it closed (checkpoint saved). */
async function ackThenStop (source: DynamoDBSource, n: number): Promise<OpenCDCRecord[]> {
  const acked: OpenCDCRecord[] = []
  source.on('data', (r: OpenCDCRecord) => {
    if (acked.length >= n) return
    acked.push(r)
    source.ack(r)
    if (acked.length === n) source.destroy()
  })
  await once(source, 'close')
  return acked
}

t.test('exportUrl s3://…/AWSDynamoDB/<id>/: the universe lands equal, types exact, with no export API call', async (t) => {
  const { table, keys } = await loadUniverse(ddb, { key: 'S', big: true, count: 60, seed: 1611 })
  const exp = await exportTable(ddb.client, table, { prefix: 'exports', fileCount: 3, bucket: 'dumps' })
  for (const [key, body] of exp.files) await s3.put('dumps', key, body)
  const copy = await createUniverseTable(ddb, 'S')
  const source = createSource({ table, ...urlOptions(`s3://dumps/${exp.base}/`) } as SourceInput)
  const records: OpenCDCRecord[] = []
  await pipeline(source, tap((r) => { records.push(r as OpenCDCRecord) }, true), createDestination({ table: copy, endpoint: ddb.endpoint }))
  t.same(diffItems(exp.items, await scanAll(ddb.client, copy), keys), [], 'every item equal, types included')
  t.equal(records.length, exp.items.length, 'one record per exported item')
  t.ok(records.every((r) => r.operation === 'snapshot' && r.metadata['opencdc.collection'] === table && r.key !== null), 'snapshot records of the table, keyed')
  t.equal(new Set(records.map((r) => decodeInputPosition(r.position).file)).size, 3, 'positions name the three data files')
  t.equal(noExportCalls.calls, 0, 'neither ExportTableToPointInTime nor DescribeExport')
})

t.test('exportUrl of a local folder with a checkpoint: a restart resumes each file after its last acknowledged line', async (t) => {
  const { table, keys } = await loadUniverse(ddb, { key: 'S', count: 90, seed: 1612 })
  const exp = await exportTable(ddb.client, table, { fileCount: 3 })
  const dir = t.testdir()
  const folder = writeExportDir(dir, exp)
  const checkpoint = `${dir}/cp.json`
  const first = createSource({ table, ...urlOptions(folder), checkpoint, exportConcurrency: 3 } as SourceInput)
  const acked = await ackThenStop(first, 40)
  const second = createSource({ table, ...urlOptions(folder), checkpoint, exportConcurrency: 3 } as SourceInput)
  const rest: OpenCDCRecord[] = []
  for await (const r of second) { second.ack(r as OpenCDCRecord); rest.push(r as OpenCDCRecord) }
  const seen = (rs: OpenCDCRecord[]): string[] => rs.map((r) => r.position.toString())
  t.same(seen(rest).filter((p) => seen(acked).includes(p)), [], 'no acknowledged line is read again')
  t.equal(acked.length + rest.length, exp.items.length, 'every other line is read once')
  const copy = await createUniverseTable(ddb, 'S')
  await pipeline(async function * () { yield * acked; yield * rest }, createDestination({ table: copy, endpoint: ddb.endpoint }))
  t.same(diffItems(exp.items, await scanAll(ddb.client, copy), keys), [], 'both runs together give the whole table, types exact')
})

t.test('exportUrl naming a folder with no export fails with ERR_DDB_EXPORT_READ naming manifest-summary.json', async (t) => {
  const table = await createUniverseTable(ddb, 'S')
  const source = createSource({ table, ...urlOptions('s3://dumps/nothing/AWSDynamoDB/none/') } as SourceInput)
  const err = await pipeline(source, drain()).then(() => undefined, (e: unknown) => e) as Error & { code?: string }
  t.equal(err?.code, 'ERR_DDB_EXPORT_READ')
  t.match(err?.message, 's3://dumps/nothing/AWSDynamoDB/none/manifest-summary.json does not exist')
})

t.test('a checkpoint of another export is refused by exportUrl', async (t) => {
  const { table } = await loadUniverse(ddb, { key: 'S', count: 10, seed: 1613 })
  const dir = t.testdir()
  const a = writeExportDir(dir, await exportTable(ddb.client, table, { fileCount: 1 }))
  const b = writeExportDir(dir, await exportTable(ddb.client, table, { fileCount: 1 }))
  const checkpoint = `${dir}/cp.json`
  const first = createSource({ table, ...urlOptions(a), checkpoint } as SourceInput)
  await ackThenStop(first, 1)
  const second = createSource({ table, ...urlOptions(b), checkpoint } as SourceInput)
  const err = await pipeline(second, drain()).then(() => undefined, (e: unknown) => e) as Error & { code?: string }
  t.equal(err?.code, 'ERR_DDB_CHECKPOINT_MISMATCH')
  t.match(err?.message, `holds export ${a}, not ${b}`)
})
