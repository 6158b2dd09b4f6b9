import t from 'tap'
import { PassThrough } from 'node:stream'
import { trackProgress } from '../../../src/cli/support/progress.js'
import type { Ui } from '../../../src/cli/support/ui.js'

function stubUi (lines: string[]): Ui {
  const log = { info: (m: string) => { lines.push(m) }, warn: () => {}, error: () => {}, debug: () => {} }
  return { log: log as unknown as Ui['log'], progress: () => ({ update: () => {}, stop: () => {} }), status: () => ({ set: () => {}, stop: () => {} }), close: () => {} }
}

t.test('an export snapshot logs once that it waits for the export, once that it completed, and once that its files were read', async (t) => {
  const source = new PassThrough({ objectMode: true })
  const lines: string[] = []
  trackProgress(source, stubUi(lines))
  const arn = 'arn:aws:dynamodb:us-east-1:1:table/orders/export/x'
  const p = (status: string, done: number, items: number): void => { source.emit('progress', { phase: 'snapshot', items, segmentsDone: done, totalSegments: done === 0 && status === 'IN_PROGRESS' ? 0 : 3, estimatedItems: 30, export: { arn, status } }) }
  p('IN_PROGRESS', 0, 0)
  p('IN_PROGRESS', 0, 0)
  p('COMPLETED', 0, 0)
  p('COMPLETED', 1, 10)
  p('COMPLETED', 3, 30)
  t.same(lines, [`waiting for export ${arn} to complete`, `export ${arn} complete: reading 3 data files`, 'snapshot export read: 30 items read; changes follow'])
})
