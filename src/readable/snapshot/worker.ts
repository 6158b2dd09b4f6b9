import { OpenCDCError } from '../../errors/index.js'

/** One worker of a snapshot sharded across processes: it scans segments index, index+count, … */
export interface SnapshotWorker {
  index: number
  count: number
}

/** Environment variables that carry a worker's index, in the order they are tried (`auto/N`). */
export const WORKER_INDEX_ENV = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const

function invalid (value: unknown, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_OPTION', `snapshotWorker: ${rule}, got ${JSON.stringify(value)}`, { option: 'snapshotWorker' })
}

function whole (text: string): number | undefined {
  return /^\d{1,7}$/.test(text) ? Number(text) : undefined
}

/**
 * A worker from `{ index, count }`, "i/N", or "auto/N" (index from JOB_COMPLETION_INDEX — a Kubernetes
 * Indexed Job — else AWS_BATCH_JOB_ARRAY_INDEX — an AWS Batch array job).
 */
export function parseWorker (value: unknown, env: NodeJS.ProcessEnv = process.env): SnapshotWorker {
  let index: number | undefined
  let count: number | undefined
  if (typeof value === 'string') {
    const m = /^\s*([^/\s]+)\s*\/\s*(\S+)\s*$/.exec(value)
    if (m === null) throw invalid(value, 'expected "i/N" or "auto/N"')
    count = whole(m[2] as string)
    if (m[1] === 'auto') {
      const name = WORKER_INDEX_ENV.find((n) => env[n] !== undefined && env[n] !== '')
      if (name === undefined) throw invalid(value, `"auto" needs ${WORKER_INDEX_ENV.join(' or ')} in the environment`)
      index = whole(String(env[name]).trim())
      if (index === undefined) throw invalid(value, `${name}=${JSON.stringify(env[name])} is not a whole number`)
    } else {
      index = whole(m[1] as string)
    }
  } else if (typeof value === 'object' && value !== null) {
    const v = value as { index?: unknown, count?: unknown }
    index = Number.isSafeInteger(v.index) ? v.index as number : undefined
    count = Number.isSafeInteger(v.count) ? v.count as number : undefined
  }
  if (index === undefined || count === undefined || count < 1 || index < 0) throw invalid(value, 'expected whole numbers index ≥ 0 and count ≥ 1')
  if (index >= count) throw invalid(value, `index ${index} is not below count ${count} (indexes count from 0)`)
  return { index, count }
}

/** Whether this worker scans the segment (all segments without a worker). */
export function ownsSegment (segment: number, worker: SnapshotWorker | undefined): boolean {
  return worker === undefined || segment % worker.count === worker.index
}

/** The segments of totalSegments this worker scans. */
export function ownedSegments (totalSegments: number, worker: SnapshotWorker | undefined): number[] {
  return Array.from({ length: totalSegments }, (_, s) => s).filter((s) => ownsSegment(s, worker))
}
