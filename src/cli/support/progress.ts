import type { Readable } from 'node:stream'
import type { Progress, Ui } from './ui.js'

interface ProgressEvent { phase?: string, items?: number, estimatedItems?: number, segmentsDone?: number, totalSegments?: number }

/**
 * Feeds a source's 'progress' events (snapshot items of estimated total, then CDC records) into a bar. With
 * `done`, the bar counts that instead of items read (copy: records the destination confirmed); call
 * `update()` when it changes.
 */
export function trackProgress (source: Readable, ui: Ui, label = 'snapshot', done?: () => number): Progress & { refresh: () => void } {
  let phase = ''
  let total: number | undefined
  let bar: Progress | undefined
  let scanned = false
  const onProgress = (p: ProgressEvent): void => {
    if (!scanned && p.totalSegments !== undefined && p.totalSegments > 0 && p.segmentsDone === p.totalSegments) {
      scanned = true
      ui.log.info(`snapshot scan complete: ${p.items ?? 0} items read${(source as { options?: { snapshotOnly?: boolean } }).options?.snapshotOnly === true ? '' : '; changes follow'}`)
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
