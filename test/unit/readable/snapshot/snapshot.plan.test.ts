import t from 'tap'
import { BYTES_PER_SEGMENT, defaultHighWaterMark, defaultSegments, highWaterMarkForPages, newSnapshotCheckpoint, planSegments } from '../../../../src/readable/snapshot/plan.js'
import { checkCheckpoint } from '../../../../src/checkpoint/document.js'

t.test('default segments grow with the table size, at least 1 and at most the concurrency', async (t) => {
  t.equal(defaultSegments(undefined, 4), 1)
  t.equal(defaultSegments(0, 4), 1)
  t.equal(defaultSegments(-5, 4), 1)
  t.equal(defaultSegments(NaN, 4), 1)
  t.equal(defaultSegments(1, 4), 1)
  t.equal(defaultSegments(BYTES_PER_SEGMENT, 4), 1)
  t.equal(defaultSegments(BYTES_PER_SEGMENT + 1, 4), 2)
  t.equal(defaultSegments(3 * BYTES_PER_SEGMENT, 4), 3)
  t.equal(defaultSegments(1e12, 4), 4)
  t.equal(defaultSegments(1e12, 16), 16)
  t.equal(defaultSegments(1e12, 1), 1)
})

t.test('a fresh snapshot plans every segment from its start', async (t) => {
  t.same(planSegments(newSnapshotCheckpoint(3)), [{ segment: 0 }, { segment: 1 }, { segment: 2 }])
})

t.test('a resumed snapshot skips finished segments and resumes the others after their key', async (t) => {
  const key = { id: { S: 'k9' } }
  t.same(planSegments({ totalSegments: 3, done: false, segments: [{ done: true }, { key }, null] }), [{ segment: 1, startKey: key }, { segment: 2 }])
  t.same(planSegments({ totalSegments: 2, done: true, segments: [{ done: true }, { done: true }] }), [], 'a complete snapshot plans nothing')
})

t.test('a checkpoint of another table or version, or with a broken snapshot section, is refused with the reason', async (t) => {
  const ok = { v: 1, table: 'orders', snapshot: { totalSegments: 2, done: false, segments: [null, { key: { id: { S: 'a' } } }] }, streamArn: 'arn:x', shards: {} }
  t.same(checkCheckpoint(ok, 'orders', 'f.json'), ok, 'a valid document (with CDC sections) passes unchanged')
  t.same(checkCheckpoint({ v: 1, table: 'orders' }, 'orders', 'f.json'), { v: 1, table: 'orders' }, 'no snapshot section yet')
  t.throws(() => checkCheckpoint({ ...ok, table: 'users' }, 'orders', 'f.json'), { code: 'ERR_DDB_CHECKPOINT_MISMATCH', message: /checkpoint f.json belongs to table "users", not "orders"/ })
  t.throws(() => checkCheckpoint('x', 'orders', 'f.json'), { code: 'ERR_DDB_CHECKPOINT_CORRUPT', message: /not a JSON object; remove it to start over/ })
  t.throws(() => checkCheckpoint({ ...ok, v: 2 }, 'orders', 'f.json'), { code: 'ERR_DDB_CHECKPOINT_CORRUPT', message: /version 2/ })
  const snap = (s: unknown): unknown => ({ ...ok, snapshot: s })
  t.throws(() => checkCheckpoint(snap(null), 'orders', 'f'), { message: /snapshot is not an object/ })
  t.throws(() => checkCheckpoint(snap({ totalSegments: 0, done: false, segments: [] }), 'orders', 'f'), { message: /totalSegments/ })
  t.throws(() => checkCheckpoint(snap({ totalSegments: 1, done: 'no', segments: [null] }), 'orders', 'f'), { message: /snapshot.done/ })
  t.throws(() => checkCheckpoint(snap({ totalSegments: 2, done: false, segments: [null] }), 'orders', 'f'), { message: /one entry per segment/ })
  t.throws(() => checkCheckpoint(snap({ totalSegments: 1, done: false, segments: [{ key: null }] }), 'orders', 'f'), { message: /segments\[0\] is neither/ })
  t.throws(() => checkCheckpoint(snap({ totalSegments: 1, done: false, segments: [{ done: false }] }), 'orders', 'f'), { message: /segments\[0\]/ })
})

t.test('the default buffer holds one 1 MB page, within 16 and 50000 records', async (t) => {
  t.equal(defaultHighWaterMark(undefined, undefined), 1_000, 'unknown size')
  t.equal(defaultHighWaterMark(0, 0), 1_000, 'empty table')
  t.equal(defaultHighWaterMark(1_048_576, 1_024), 1_024, '1 KiB items: a page of 1024')
  t.equal(defaultHighWaterMark(400_000 * 10, 10), 16, '400 KB items: at least 16')
  t.equal(defaultHighWaterMark(1_000_000, 100_000), 50_000, '10-byte items: at most 50000')
  t.equal(highWaterMarkForPages(300), 300, 'pages of 300 records')
  t.equal(highWaterMarkForPages(2.5), 16, 'at least 16')
})
