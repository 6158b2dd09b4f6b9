import t from 'tap'
import { parseWorker, ownsSegment } from '../../../../src/readable/snapshot/worker.js'
import { newSnapshotCheckpoint, ownedSegmentsDone, planSegments } from '../../../../src/readable/snapshot/plan.js'
import { checkStreamRetention } from '../../../../src/readable/snapshot/retention.js'
import { assertHandoffReady, workersStatus } from '../../../../src/readable/snapshot/status.js'
import { resolveSourceOptions } from '../../../../src/readable/options.js'
import type { SourceCheckpoint } from '../../../../src/checkpoint/document.js'

const H = 3_600_000

t.test('parseWorker reads i/N, auto/N from the job index variables, and objects; refuses the rest by rule', async (t) => {
  t.same(parseWorker('2/4', {}), { index: 2, count: 4 })
  t.same(parseWorker({ index: 0, count: 1 }, {}), { index: 0, count: 1 })
  t.same(parseWorker('auto/3', { JOB_COMPLETION_INDEX: '1' }), { index: 1, count: 3 }, 'Kubernetes Indexed Job')
  t.same(parseWorker('auto/3', { AWS_BATCH_JOB_ARRAY_INDEX: '2' }), { index: 2, count: 3 }, 'AWS Batch array job')
  t.same(parseWorker('auto/3', { JOB_COMPLETION_INDEX: '0', AWS_BATCH_JOB_ARRAY_INDEX: '2' }), { index: 0, count: 3 }, 'Kubernetes first')
  for (const [bad, rule] of [['4/4', /not below count 4/], ['-1/4', /whole numbers/], ['1', /"i\/N"/], ['1/0', /count ≥ 1/], ['a/2', /whole numbers/]] as const) {
    t.throws(() => parseWorker(bad, {}), { code: 'ERR_DDB_INVALID_OPTION', message: rule }, bad)
  }
  t.throws(() => parseWorker('auto/2', {}), { code: 'ERR_DDB_INVALID_OPTION', message: /JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX/ })
  t.throws(() => parseWorker('auto/2', { JOB_COMPLETION_INDEX: 'x' }), { message: /JOB_COMPLETION_INDEX="x" is not a whole number/ })
})

t.test('worker i plans segments i, i+N, … and is done when those are', async (t) => {
  t.same([0, 1, 2, 3, 4, 5, 6].filter((s) => ownsSegment(s, { index: 1, count: 3 })), [1, 4])
  const c = newSnapshotCheckpoint(7, { index: 1, count: 3 }, new Date('2026-01-01T00:00:00Z'))
  t.same(c.startedAt, '2026-01-01T00:00:00.000Z')
  t.same(planSegments(c).map((p) => p.segment), [1, 4])
  c.segments[1] = { done: true }
  t.notOk(ownedSegmentsDone(c))
  c.segments[4] = { key: { pk: { S: 'a' } } }
  t.same(planSegments(c), [{ segment: 4, startKey: { pk: { S: 'a' } } }])
  c.segments[4] = { done: true }
  t.ok(ownedSegmentsDone(c), 'segments 0, 2, 3, 5, 6 belong to other workers')
  t.same(newSnapshotCheckpoint(2), { totalSegments: 2, done: false, segments: [null, null] }, 'an unsharded checkpoint is unchanged')
})

t.test('source options: a worker needs snapshot.segments ≥ count, implies snapshot.only, fills {worker} in the checkpoint file', async (t) => {
  const o = resolveSourceOptions({ table: 'x', 'snapshot.worker': '1/2', 'snapshot.segments': '4', checkpoint: 'c-{worker}.json' })
  t.same(o.snapshotWorker, { index: 1, count: 2 })
  t.equal(o.snapshotOnly, true)
  t.equal(o.checkpoint, 'c-1.json')
  t.throws(() => resolveSourceOptions({ table: 'x', snapshotWorker: '0/2' }), { code: 'ERR_DDB_INVALID_OPTION', message: /needs snapshot.segments/ })
  t.throws(() => resolveSourceOptions({ table: 'x', snapshotWorker: '0/4', snapshotSegments: 3 }), { message: /use at least 4/ })
  t.throws(() => resolveSourceOptions({ table: 'x', snapshotWorker: '0/2', snapshotSegments: 2, skipSnapshot: true }), { message: /read nothing/ })
})

t.test('checkStreamRetention fails once 24 h less the margin have passed since the start', async (t) => {
  const start = new Date('2026-01-01T00:00:00Z')
  t.equal(checkStreamRetention(start, new Date(start.getTime() + 22 * H)).remainingMs, H)
  t.throws(() => checkStreamRetention(start, new Date(start.getTime() + 23 * H)), { code: 'ERR_DDB_STREAM_RETENTION_GAP', message: /23\.0 h ago/ })
  t.doesNotThrow(() => checkStreamRetention(start, new Date(start.getTime() + 23 * H), 0), 'margin 0: 24 h')
  t.throws(() => checkStreamRetention(new Date('nope'), start), { code: 'ERR_DDB_STREAM_RETENTION_GAP' })
})

const doc = (index: number, count: number, done: boolean, startedAt: string, total = 4): SourceCheckpoint => {
  const snapshot = newSnapshotCheckpoint(total, { index, count }, new Date(startedAt))
  snapshot.segments = snapshot.segments.map((_, s) => s % count === index && done ? { done: true } : null)
  snapshot.done = done
  return { v: 1, table: 't', snapshot }
}

t.test('workersStatus names the missing and running workers, the earliest start, and the retention left', async (t) => {
  const now = new Date('2026-01-01T10:00:00Z')
  const s = workersStatus([{ source: 'a', doc: doc(0, 3, true, '2026-01-01T02:00:00Z') }, { source: 'b', doc: doc(1, 3, false, '2026-01-01T01:00:00Z') }, { source: 'c', doc: undefined }], now)
  t.same(s.workers.map((w) => [w.state, w.segmentsDone, w.segmentsOwned]), [['done', 2, 2], ['running', 0, 1], ['missing', 0, 0]])
  t.equal(s.earliestStart, '2026-01-01T01:00:00.000Z')
  t.equal(s.retentionRemainingMs, 14 * H, '01:00 + 24 h − 1 h margin − 10:00')
  t.throws(() => assertHandoffReady(s), { code: 'ERR_DDB_WORKERS_INCOMPLETE', message: /2 of 3 .*1 \(running\), 2 \(missing\)/ })
  const late = workersStatus([{ source: 'a', doc: doc(0, 2, true, '2026-01-01T00:00:00Z') }, { source: 'b', doc: doc(1, 2, true, '2026-01-01T09:00:00Z') }], new Date('2026-01-01T23:30:00Z'))
  t.ok(late.allDone)
  t.throws(() => assertHandoffReady(late), { code: 'ERR_DDB_STREAM_RETENTION_GAP' }, 'all done, but the earliest start is out of reach')
  const ok = workersStatus([{ source: 'a', doc: doc(0, 2, true, '2026-01-01T00:00:00Z') }, { source: 'b', doc: doc(1, 2, true, '2026-01-01T09:00:00Z') }], now)
  t.doesNotThrow(() => assertHandoffReady(ok))
  t.throws(() => workersStatus([{ source: 'a', doc: doc(1, 2, true, '2026-01-01T00:00:00Z') }, { source: 'b', doc: undefined }], now), { code: 'ERR_DDB_WORKER_MISMATCH', message: /expected worker 0\/2, found worker 1\/2/ })
  t.throws(() => workersStatus([{ source: 'a', doc: doc(0, 2, true, '2026-01-01T00:00:00Z', 4) }, { source: 'b', doc: doc(1, 2, true, '2026-01-01T00:00:00Z', 6) }], now), { code: 'ERR_DDB_WORKER_MISMATCH', message: /segments 6/ })
})
