import type { Readable } from 'node:stream'
import type { Progress, Ui } from './ui.js'

interface ProgressEvent { phase?: string, items?: number, estimatedItems?: number }

/** Feeds a source's 'progress' events (snapshot items of estimated total, then CDC records) into a bar. */
export function trackProgress (source: Readable, ui: Ui, label = 'snapshot'): Progress {
  let phase = ''
  let bar: Progress | undefined
  const onProgress = (p: ProgressEvent): void => {
    const name = p.phase ?? 'snapshot'
    if (name !== phase) {
      bar?.stop()
      phase = name
      bar = ui.progress(name === 'snapshot' ? label : name)
    }
    bar?.update(p.items ?? 0, p.estimatedItems)
  }
  source.on('progress', onProgress)
  return {
    update: (items, total) => bar?.update(items, total),
    stop () {
      source.removeListener('progress', onProgress)
      bar?.stop()
    }
  }
}
