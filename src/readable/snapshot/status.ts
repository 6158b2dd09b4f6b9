import type { SourceCheckpoint } from '../../checkpoint/document.js'
import { OpenCDCError } from '../../errors/index.js'
import { ownedSegments } from './worker.js'
import { checkStreamRetention } from './retention.js'

export interface WorkerStatus {
  index: number
  /** Where its checkpoint was read from (file, item id). */
  source: string
  /** 'missing': no checkpoint yet (the worker has not started, or not saved once). */
  state: 'missing' | 'running' | 'done'
  segmentsDone: number
  segmentsOwned: number
  startedAt?: string
}

export interface WorkersStatus {
  count: number
  totalSegments?: number
  workers: WorkerStatus[]
  allDone: boolean
  /** The earliest start of any worker: the CDC phase must read the stream from before it (TRIM_HORIZON). */
  earliestStart?: string
  /** Time left before the stream no longer reaches back to earliestStart (see checkStreamRetention); absent when no start is known. */
  retentionRemainingMs?: number
  /** The retention check's error, when the hand-off can no longer be gap-free. */
  retentionError?: OpenCDCError
}

function mismatch (rule: string, source: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_WORKER_MISMATCH', `worker checkpoints disagree: ${rule} (${source})`, { checkpoint: source })
}

/**
 * Which of `count` workers are done, from their checkpoints (index i at checkpoints[i]; undefined =
 * not written yet), the earliest snapshot start, and whether the stream still reaches back to it.
 */
export function workersStatus (checkpoints: Array<{ source: string, doc: SourceCheckpoint | undefined }>, now = new Date()): WorkersStatus {
  const count = checkpoints.length
  let totalSegments: number | undefined
  let earliest: string | undefined
  const workers = checkpoints.map(({ source, doc }, index): WorkerStatus => {
    const snap = doc?.snapshot
    if (snap === undefined) return { index, source, state: 'missing', segmentsDone: 0, segmentsOwned: 0 }
    if (snap.worker?.index !== index || snap.worker.count !== count) throw mismatch(`expected worker ${index}/${count}, found ${snap.worker === undefined ? 'an unsharded snapshot' : `worker ${snap.worker.index}/${snap.worker.count}`}`, source)
    if (totalSegments !== undefined && snap.totalSegments !== totalSegments) throw mismatch(`snapshot.segments ${snap.totalSegments}, another worker has ${totalSegments}`, source)
    totalSegments = snap.totalSegments
    if (snap.startedAt !== undefined && (earliest === undefined || Date.parse(snap.startedAt) < Date.parse(earliest))) earliest = snap.startedAt
    const owned = ownedSegments(snap.totalSegments, snap.worker)
    const segmentsDone = owned.filter((s) => { const seg = snap.segments[s]; return seg !== null && seg !== undefined && 'done' in seg }).length
    return { index, source, state: snap.done ? 'done' : 'running', segmentsDone, segmentsOwned: owned.length, ...(snap.startedAt !== undefined ? { startedAt: snap.startedAt } : {}) }
  })
  const status: WorkersStatus = { count, workers, allDone: count > 0 && workers.every((w) => w.state === 'done'), ...(totalSegments !== undefined ? { totalSegments } : {}) }
  if (earliest !== undefined) {
    status.earliestStart = earliest
    try {
      status.retentionRemainingMs = checkStreamRetention(new Date(earliest), now).remainingMs
    } catch (err) {
      status.retentionError = err as OpenCDCError
    }
  }
  return status
}

/** Throws unless the CDC phase may start now: every worker done, the stream still reaching back to the earliest start. */
export function assertHandoffReady (status: WorkersStatus): void {
  if (status.retentionError !== undefined) throw status.retentionError
  if (!status.allDone) {
    const waiting = status.workers.filter((w) => w.state !== 'done').map((w) => `${w.index} (${w.state})`)
    throw new OpenCDCError('ERR_DDB_WORKERS_INCOMPLETE', `${waiting.length} of ${status.count} snapshot workers are not done: ${waiting.join(', ')}`, { waiting: status.workers.filter((w) => w.state !== 'done').map((w) => w.index) })
  }
}
