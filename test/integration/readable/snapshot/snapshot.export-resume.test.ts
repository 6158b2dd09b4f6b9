import t from 'tap'
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { useDynamo } from '../../../helpers/dynamo.js'
import { fakeExport } from '../../../helpers/fake-export.js'
import { useS3 } from '../../../helpers/s3.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll } from '../../../helpers/universe.js'
import { createSource } from '../../../../src/readable/source.js'
import type { SourceInput } from '../../../../src/readable/options.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'
import { createDestination } from '../../../../src/writable/destination.js'

// Export call faked (DynamoDB Local lacks it: test/helpers/fake-export.ts); table, S3 files, records and checkpoint are real.
const ddb = await useDynamo(t)
const s3 = await useS3(t)
await s3.createBucket('dumps')

/** (file, line) of a record, read from its position's JSON here rather than by the decoder under test. */
const where = (r: OpenCDCRecord): string => { const p = JSON.parse(r.position.toString()) as { f: string, l: number }; return `${p.f}#${p.l}` }

t.test('stopped mid-export, a run from the checkpoint reads the same export on from each file\'s next unacknowledged line: nothing lost, nothing twice', async (t) => {
  const { table, keys } = await loadUniverse(ddb, { key: 'S', count: 60, seed: 1610 })
  const exp = fakeExport(ddb.client, table, s3, { fileCount: 3 })
  const checkpoint = `${t.testdir()}/cp.json`
  const options = { table, endpoint: ddb.endpoint, snapshotFrom: 'export', exportS3Bucket: 'dumps', exportS3: s3.config, exportClient: exp, exportDelay: 0, exportPollInterval: 10, exportConcurrency: 2, snapshotOnly: true, checkpoint, checkpointInterval: 0 } as SourceInput

  // Run 1: a sink that acknowledges the first 40 records it gets, then the process "dies" (destroy).
  const first = createSource(options)
  const acked: OpenCDCRecord[] = []
  await new Promise<void>((resolve) => {
    first.on('data', (r: OpenCDCRecord) => {
      if (acked.length >= 40) return
      acked.push(r)
      first.ack(r)
      if (acked.length === 40) first.destroy()
    })
    first.on('close', resolve)
  })
  const doc = JSON.parse(readFileSync(checkpoint, 'utf8')) as { export: { exportArn: string, folder: string, done: boolean, files: Record<string, { line: number } | { done: true }> } }
  t.match(doc.export.exportArn, /:table\/.*\/export\//, 'the checkpoint names the export')
  t.equal(doc.export.folder, `s3://dumps/${exp.made?.base ?? '?'}`, 'and where its files are')
  t.equal(doc.export.done, false)
  const manifest = (exp.made?.files.get(`${exp.made.base}/manifest-files.json`) ?? '').toString().trim().split('\n').map((l) => JSON.parse(l) as { dataFileS3Key: string, itemCount: number })
  const expected: Record<string, { line: number } | { done: true }> = {}
  for (const r of acked) {
    const [f, l] = where(r).split('#') as [string, string]
    expected[f] = Number(l) === manifest.find((m) => m.dataFileS3Key === f)?.itemCount ? { done: true } : { line: Number(l) }
  }
  t.same(doc.export.files, expected, 'each file\'s entry is its last acknowledged line, or done when that was its last line')
  t.ok(Object.values(expected).some((p) => 'line' in p), 'a file was stopped part-way')

  // Run 2: from the checkpoint, to the end.
  const rest: OpenCDCRecord[] = []
  for await (const r of createSource(options)) rest.push(r as OpenCDCRecord)
  const total = exp.made?.items.length ?? 0
  const before = new Set(acked.map(where))
  t.equal(rest.filter((r) => before.has(where(r))).length, 0, 'no acknowledged record comes again')
  t.equal(new Set([...acked, ...rest].map(where)).size, total, 'together the runs hold every line of the export once')
  t.equal(acked.length + rest.length, total)
  t.same(exp.calls, { start: 1, describe: 2 }, 'the second run requested no new export and did not poll again')

  const copy = await createUniverseTable(ddb, 'S')
  await pipeline(Readable.from([...acked, ...rest]), createDestination({ table: copy, endpoint: ddb.endpoint }))
  t.same(diffItems(await scanAll(ddb.client, table), await scanAll(ddb.client, copy), keys), [], 'both runs\' records make the table again, types exact')
})
