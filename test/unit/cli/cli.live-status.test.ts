import t from 'tap'
import { EventEmitter } from 'node:events'
import type { Readable } from 'node:stream'
import { createdAtMs, statusLine } from '../../../src/cli/support/live-status.js'
import { trackProgress } from '../../../src/cli/support/progress.js'
import type { Ui } from '../../../src/cli/support/ui.js'

t.test('statusLine: lag of the newest written change, records/s and writes/s since the previous sample', (t) => {
  const line = statusLine({ at: 10_000, read: 100, written: 50 }, { at: 12_000, read: 4100, written: 2050, lastCreatedAt: 9_000 })
  t.equal(line, 'changes: lag 3s | 2,000 records/s | 1,000 writes/s | 2,050 written')
  t.end()
})

t.test('statusLine: small rates keep a decimal; a rate-limited copy shows writes below reads', (t) => {
  t.equal(statusLine({ at: 0, read: 0, written: 0 }, { at: 4000, read: 10, written: 2, lastCreatedAt: 0 }), 'changes: lag 4s | 2.5 records/s | 0.5 writes/s | 2 written')
  t.end()
})

t.test('statusLine: caught up when nothing new was read and everything read is written; "lag -" before any change', (t) => {
  t.equal(statusLine({ at: 0, read: 7, written: 7 }, { at: 1000, read: 7, written: 7, lastCreatedAt: -600_000 }), 'changes: caught up | 0.0 records/s | 0.0 writes/s | 7 written')
  t.equal(statusLine({ at: 0, read: 0, written: 0 }, { at: 1000, read: 0, written: 0 }), 'changes: lag - | 0.0 records/s | 0.0 writes/s | 0 written')
  t.end()
})

t.test('createdAtMs reads opencdc.createdAt (unix nanoseconds) and ignores what is not a number', (t) => {
  const rec = (createdAt?: string): any => ({ metadata: createdAt === undefined ? {} : { 'opencdc.createdAt': createdAt } })
  t.equal(createdAtMs(rec('1700000000123456789')), 1700000000123)
  t.equal(createdAtMs(rec()), undefined)
  t.equal(createdAtMs(rec('soon')), undefined)
  t.end()
})

t.test('the copy bar counts what `done` says (records written), not the items the snapshot read', (t) => {
  const updates: Array<[number, number | undefined]> = []
  const ui = { progress: () => ({ update: (n: number, total?: number) => { updates.push([n, total]) }, stop: () => {} }), log: { info: () => {} } } as unknown as Ui
  const source = new EventEmitter() as unknown as Readable
  let written = 0
  const progress = trackProgress(source, ui, 'copy', () => written)
  source.emit('progress', { phase: 'snapshot', items: 5000, estimatedItems: 30_000, segmentsDone: 0, totalSegments: 4 })
  written = 120
  progress.refresh()
  t.same(updates, [[0, 30_000], [120, 30_000]])
  progress.stop()
  t.end()
})
