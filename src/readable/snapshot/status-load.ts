import { checkCheckpoint, type SourceCheckpoint } from '../../checkpoint/document.js'
import type { CheckpointStore } from '../../checkpoint/stores.js'
import { OpenCDCError } from '../../errors/index.js'
import { workersStatus, type WorkersStatus } from './status.js'

/** Where one worker keeps its checkpoint: a label for messages (file, table/id) and the store to read. */
export interface WorkerCheckpointSource {
  source: string
  store: Pick<CheckpointStore<unknown>, 'load'>
}

/**
 * Reads every worker's checkpoint (index i at stores[i]: a FileCheckpointStore, a DynamoDBCheckpointStore, …)
 * and returns workersStatus of them. Every checkpoint found must belong to the same table (`table`, when given).
 */
export async function loadWorkersStatus (stores: readonly WorkerCheckpointSource[], opts: { table?: string, now?: Date } = {}): Promise<WorkersStatus> {
  const raw = await Promise.all(stores.map(async ({ source, store }) => ({ source, doc: await store.load() })))
  const docs = raw.map(({ source, doc }) => {
    if (doc === undefined || doc === null) return { source, doc: undefined }
    const table = opts.table ?? String((doc as { table?: unknown }).table)
    return { source, doc: checkCheckpoint(doc, table, source) as SourceCheckpoint | undefined }
  })
  const tables = [...new Set(docs.flatMap((d) => d.doc === undefined ? [] : [d.doc.table]))]
  if (tables.length > 1) throw new OpenCDCError('ERR_DDB_WORKER_MISMATCH', `worker checkpoints belong to different tables: ${tables.join(', ')}`, { tables })
  return workersStatus(docs, opts.now)
}
