import t from 'tap'
import { resolveSourceOptions } from '../../../../src/readable/options.js'
import { checkSnapshotKind } from '../../../../src/readable/snapshot/export-checkpoint.js'
import type { SourceCheckpoint } from '../../../../src/checkpoint/document.js'

t.test('snapshot.from=export settings resolve with their defaults (verbatim settings and camelCase)', async (t) => {
  const o = resolveSourceOptions({ table: 'orders', 'snapshot.from': 'export', 'snapshot.export.bucket': 'dumps', 'snapshot.export.prefix': 'exports/orders', 'snapshot.export.pollInterval': '30s' })
  t.match(o, { snapshotFrom: 'export', exportS3Bucket: 'dumps', exportS3Prefix: 'exports/orders', exportPollInterval: 30_000, exportDelay: 60_000, exportConcurrency: 4 })
  t.equal(resolveSourceOptions({ table: 'orders' }).snapshotFrom, 'scan', 'Scan stays the default')
  t.match(resolveSourceOptions({ table: 'orders', snapshotFrom: 'export', exportS3Bucket: 'b', exportDelay: 0, exportConcurrency: 8 }), { exportDelay: 0, exportConcurrency: 8 })
})

t.test('an export snapshot refuses what it cannot do, naming the option and why', async (t) => {
  const bad = (input: Record<string, unknown>, option: string, message: RegExp): void => {
    t.throws(() => resolveSourceOptions({ table: 'orders', snapshotFrom: 'export', ...input }), { code: 'ERR_DDB_INVALID_OPTION', details: { option }, message })
  }
  bad({}, 'exportS3Bucket', /needs snapshot.export.bucket/)
  bad({ exportArn: 'arn:aws:dynamodb:us-east-1:1:table/orders/export/x' }, 'exportArn', /needs snapshot.only: the changes between that export's cut and this run's stream anchor/)
  bad({ exportS3Bucket: 'b', skipSnapshot: true }, 'skipSnapshot', /export nobody reads/)
  bad({ exportS3Bucket: 'b', filter: 'amount > :a', expressionAttributeValues: { ':a': 1 } }, 'filter', /cannot apply filter.expression/)
  bad({ exportS3Bucket: 'b', snapshotWorker: '0/2', snapshotSegments: 2 }, 'snapshotWorker', /cannot be split with snapshot.worker/)
  bad({ exportS3Bucket: 'b', exportClient: {} }, 'exportClient', /send\(command\)/)
  t.throws(() => resolveSourceOptions({ table: 'orders', 'snapshot.from': 'dump' }), { code: 'ERR_DDB_INVALID_OPTION', message: /snapshot.from/ })
  t.ok(resolveSourceOptions({ table: 'orders', snapshotFrom: 'export', exportArn: 'arn:x', snapshotOnly: true }), 'an existing export read snapshot-only is fine')
})

t.test('a checkpoint half-way through one kind of snapshot is refused by the other kind', async (t) => {
  const scan: SourceCheckpoint = { v: 1, table: 'orders', snapshot: { totalSegments: 1, done: false, segments: [null] } as never }
  const exp: SourceCheckpoint = { v: 1, table: 'orders', export: { exportArn: 'arn:x', files: { 'data/a.json.gz': { line: 3 } }, done: false } }
  t.throws(() => { checkSnapshotKind(scan, 'export', 'cp.json') }, { code: 'ERR_DDB_CHECKPOINT_MISMATCH', message: /checkpoint cp.json holds a Scan snapshot \(snapshot.from=scan\) not finished yet/ })
  t.throws(() => { checkSnapshotKind(exp, 'scan', 'cp.json') }, { code: 'ERR_DDB_CHECKPOINT_MISMATCH', message: /holds an export snapshot \(snapshot.from=export\)/ })
  t.doesNotThrow(() => { checkSnapshotKind(exp, 'export', 'cp.json') })
  t.doesNotThrow(() => { checkSnapshotKind({ ...exp, export: { files: {}, done: true } }, 'scan', 'cp.json') }, 'a finished export snapshot hands over to CDC whatever the kind')
})

t.test('a malformed export section is ERR_DDB_CHECKPOINT_CORRUPT naming the field', async (t) => {
  const doc = (e: unknown): SourceCheckpoint => ({ v: 1, table: 'orders', export: e })
  t.throws(() => { checkSnapshotKind(doc([]), 'export', 'cp.json') }, { code: 'ERR_DDB_CHECKPOINT_CORRUPT', message: /export is not an object/ })
  t.throws(() => { checkSnapshotKind(doc({ files: {} }), 'export', 'cp.json') }, { message: /export.done is not a boolean/ })
  t.throws(() => { checkSnapshotKind(doc({ files: {}, done: false, exportArn: 7 }), 'export', 'cp.json') }, { message: /export.exportArn is not a string/ })
  t.throws(() => { checkSnapshotKind(doc({ files: { 'data/a.json.gz': { line: -1 } }, done: false }), 'export', 'cp.json') }, { message: /export.files\["data\/a.json.gz"\] is neither/ })
})

t.test('snapshot.export.url: an existing export by its folder, snapshot-only, implies snapshot.from=export', async (t) => {
  const url = 's3://dumps/exports/AWSDynamoDB/01700000000000-abcdef12/'
  t.match(resolveSourceOptions({ table: 'orders', 'snapshot.export.url': url, 'snapshot.only': 'true' }), { snapshotFrom: 'export', exportUrl: url })
  t.match(resolveSourceOptions({ table: 'orders', exportUrl: './dump/AWSDynamoDB/x', snapshotOnly: true }), { snapshotFrom: 'export' }, 'a local folder')
  const bad = (input: Record<string, unknown>, option: string, message: RegExp): void => {
    t.throws(() => resolveSourceOptions({ table: 'orders', ...input }), { code: 'ERR_DDB_INVALID_OPTION', details: { option }, message })
  }
  bad({ exportUrl: url }, 'exportUrl', /snapshot.export.url \(an existing export\) needs snapshot.only: the changes between that export's cut and this run's stream anchor/)
  bad({ exportUrl: 'https://dumps.s3.amazonaws.com/x', snapshotOnly: true }, 'exportUrl', /must be a local folder or s3:\/\/bucket\/prefix\/AWSDynamoDB\/<export-id>\/.*got "https:\/\/dumps/)
  bad({ exportUrl: 's3://', snapshotOnly: true }, 'exportUrl', /must be a local folder or s3:/)
  bad({ exportUrl: 's3:///AWSDynamoDB/x', snapshotOnly: true }, 'exportUrl', /must be a local folder/)
  bad({ exportUrl: url, snapshotOnly: true, exportArn: 'arn:x' }, 'exportArn', /without snapshot.export.arn/)
  bad({ exportUrl: url, snapshotOnly: true, exportS3Bucket: 'b' }, 'exportS3Bucket', /without snapshot.export.arn \/ snapshot.export.bucket/)
})
