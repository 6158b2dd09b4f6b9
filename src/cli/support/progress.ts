import type { Readable } from 'node:stream'
import type { Progress, Ui } from './ui.js'

interface ProgressEvent { table?: string, phase?: string, items?: number, estimatedItems?: number, segmentsDone?: number, totalSegments?: number, export?: { arn: string, status: string } }

/**
 * Feeds a source's 'progress' events (snapshot items of estimated total, then CDC records) into a bar. With
 * `done`, the bar counts that instead of items read (copy: records the destination confirmed); call
 * `update()` when it changes.
 */
export function trackProgress (source: Readable, ui: Ui, label = 'snapshot', done?: () => number): Progress & { refresh: () => void } {
  let phase = ''
  let total: number | undefined
  let bar: Progress | undefined
  // A many-table source reports each table's snapshot (p.table): one line per table.
  const scanned = new Set<string | undefined>()
  let exportStatus = ''
  const onProgress = (p: ProgressEvent): void => {
    // An export can take minutes before the first record: say what is being waited for.
    if (p.export !== undefined && p.export.status !== exportStatus) {
      exportStatus = p.export.status
      ui.log.info(exportStatus === 'IN_PROGRESS' ? `waiting for export ${p.export.arn} to complete` : `export ${p.export.arn} complete: reading ${p.totalSegments ?? 0} data files`)
    }
    if (!scanned.has(p.table) && p.totalSegments !== undefined && p.totalSegments > 0 && p.segmentsDone === p.totalSegments) {
      scanned.add(p.table)
      const of = p.table !== undefined ? ` of ${p.table}` : ''
      const what = p.export !== undefined ? `export${of} read` : `scan${of} complete`
      ui.log.info(`snapshot ${what}: ${p.items ?? 0} items read${(source as { options?: { snapshotOnly?: boolean } }).options?.snapshotOnly === true ? '' : '; changes follow'}`)
    }
    const name = p.phase ?? 'snapshot'
    if (name !== phase) {
      bar?.stop()
      phase = name
      bar = ui.progress(name === 'snapshot' ? label : name)
    }
    total = p.estimatedItems
    bar?.update(done?.() ?? p.items ?? 0, total)
  }
  source.on('progress', onProgress)
  return {
    update: (items, t) => bar?.update(items, t ?? total),
    refresh: () => { if (done !== undefined) bar?.update(done(), total) },
    stop () {
      source.removeListener('progress', onProgress)
      bar?.stop()
    }
  }
}
