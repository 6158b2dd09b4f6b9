import t from 'tap'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { gzipSync, gunzipSync } from 'node:zlib'
import { readExport } from '../../../src/inputs/read-export.js'
import { decodeInputPosition } from '../../../src/inputs/position.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'
import { createDestination } from '../../../src/writable/destination.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { exportTable, writeExportDir } from '../../helpers/export.js'
import { useS3 } from '../../helpers/s3.js'
import { PK, createUniverseTable, diffItems, putItems, scanAll, universe } from '../../helpers/universe.js'

const ddb = await useDynamo(t)
const s3 = await useS3(t)
const source = await createUniverseTable(ddb, 'S')
const items = universe({ key: 'S', count: 80 })
await putItems(ddb.client, source, items)
const exp = await exportTable(ddb.client, source, { prefix: 'exports/orders', fileCount: 3, bucket: 'dumps' })
const root = mkdtempSync(join(tmpdir(), 'export-'))
const folder = writeExportDir(root, exp)
await s3.createBucket('dumps')
for (const [key, body] of exp.files) await s3.put('dumps', key, body)

async function collect (location: string, options = {}): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  for await (const r of readExport(location, { s3: s3.config, ...options })) out.push(r as OpenCDCRecord)
  return out
}

t.test('an export folder on disk written into a table equals the source table (universe, types exact)', async (t) => {
  const target = await createUniverseTable(ddb, 'S')
  await pipeline(readExport(folder), createDestination({ table: target, endpoint: ddb.endpoint }))
  const diffs = diffItems(items, await scanAll(ddb.client, target), PK)
  t.same(diffs, [], JSON.stringify(diffs.slice(0, 4)))
})

t.test('the same export read from S3 (s3rver) written into a table equals the source table', async (t) => {
  const target = await createUniverseTable(ddb, 'S')
  await pipeline(readExport(`s3://dumps/${exp.base}/`, { s3: s3.config }), createDestination({ table: target, endpoint: ddb.endpoint }))
  const diffs = diffItems(items, await scanAll(ddb.client, target), PK)
  t.same(diffs, [], JSON.stringify(diffs.slice(0, 4)))
})

t.test('records carry the table from the manifest and a (data file, line) position', async (t) => {
  const records = await collect(folder)
  t.equal(records.length, items.length)
  t.ok(records.every((r) => r.operation === 'snapshot' && r.metadata['opencdc.collection'] === source))
  const first = decodeInputPosition((records[0] as OpenCDCRecord).position)
  t.match(first, { file: new RegExp(`^${exp.base}/data/.*\\.json\\.gz$`), line: 1 })
})

t.test('resuming after (file, line) yields exactly the records after it, from disk and from S3', async (t) => {
  const all = await collect(folder)
  const cut = all[Math.floor(all.length / 2)] as OpenCDCRecord
  const after = decodeInputPosition(cut.position)
  const rest = all.slice(all.indexOf(cut) + 1).map((r) => r.position.toString())
  t.same((await collect(folder, { after })).map((r) => r.position.toString()), rest)
  t.same((await collect(`s3://dumps/${exp.base}`, { after })).map((r) => r.position.toString()), rest)
})

t.test('a data file whose item count disagrees with the manifest fails naming the file and both counts', async (t) => {
  const dir = writeExportDir(mkdtempSync(join(tmpdir(), 'export-bad-')), exp)
  const manifestPath = join(dir, 'manifest-files.json')
  const lines = readFileSync(manifestPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { itemCount: number, dataFileS3Key: string })
  const victim = lines[1] as { itemCount: number, dataFileS3Key: string }
  const real = victim.itemCount
  victim.itemCount = real + 1
  writeFileSync(manifestPath, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  // the summary's total is raised too, so the per-file check is the one that fires
  const summaryPath = join(dir, 'manifest-summary.json')
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { itemCount: number }
  writeFileSync(summaryPath, JSON.stringify({ ...summary, itemCount: summary.itemCount + 1 }))
  const file = victim.dataFileS3Key.slice(exp.base.length + 1)
  await t.rejects(collect(dir), { code: 'ERR_DDB_EXPORT_MISMATCH', message: `${dir}/${file}: holds ${real} items but manifest-files.json says itemCount ${real + 1}` })
})

t.test('a data file whose bytes differ from the manifest MD5 fails naming the file', async (t) => {
  const dir = writeExportDir(mkdtempSync(join(tmpdir(), 'export-md5-')), exp)
  const key = [...exp.files.keys()].find((k) => k.includes('/data/')) as string
  const path = join(dir, key.slice(exp.base.length + 1))
  writeFileSync(path, gzipSync(gunzipSync(readFileSync(path)), { level: 1 }))
  await t.rejects(collect(dir), { code: 'ERR_DDB_EXPORT_MISMATCH', message: /\.json\.gz: MD5 is .* but manifest-files\.json says / })
})

t.test('a missing data file in S3 is named', async (t) => {
  const key = [...exp.files.keys()].find((k) => k.includes('/data/')) as string
  const other = `copy/${exp.base}`
  for (const [k, body] of exp.files) if (k !== key) await s3.put('dumps', `copy/${k}`, body)
  await t.rejects(collect(`s3://dumps/${other}`), { code: 'ERR_DDB_EXPORT_READ', message: new RegExp(`^s3://dumps/${other}/data/.*\\.json\\.gz does not exist`) })
})
