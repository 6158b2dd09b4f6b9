import { OpenCDCError } from '../../errors/index.js'
import type { SnapshotCheckpoint } from './plan.js'
import type { SnapshotWorker } from './worker.js'

function mismatch (source: string, rule: string, details: Record<string, unknown>): OpenCDCError {
  return new OpenCDCError('ERR_DDB_WORKER_MISMATCH', `checkpoint ${source}: ${rule}`, { checkpoint: source, ...details })
}

function label (w: SnapshotWorker | undefined): string {
  return w === undefined ? 'no worker (the whole table)' : `worker ${w.index}/${w.count}`
}

/**
 * A loaded snapshot section must belong to the same worker and the same TotalSegments as this run:
 * resuming another worker's checkpoint, or another split of the table, would skip or repeat segments.
 */
export function checkWorkerCheckpoint (state: SnapshotCheckpoint, worker: SnapshotWorker | undefined, segments: number | undefined, source: string): void {
  const saved = state.worker
  if (saved?.index !== worker?.index || saved?.count !== worker?.count) {
    throw mismatch(source, `was written by ${label(saved)}, not ${label(worker)}`, { saved: saved ?? null, worker: worker ?? null })
  }
  if (worker !== undefined && segments !== undefined && state.totalSegments !== segments) {
    throw mismatch(source, `was written with snapshot.segments=${state.totalSegments}, not ${segments}`, { totalSegments: state.totalSegments, segments })
  }
}
