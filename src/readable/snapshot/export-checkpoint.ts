import { OpenCDCError } from '../../errors/index.js'
import type { SourceCheckpoint } from '../../checkpoint/document.js'

/** A data file's acknowledged progress: its last line handled downstream, or done. */
export type ExportFileCheckpoint = { line: number } | { done: true }

/** The checkpoint's `export` section: which export (ARN as soon as it was requested, folder once completed) and how far each file was read. */
export interface ExportCheckpoint {
  exportArn?: string
  folder?: string
  files: Record<string, ExportFileCheckpoint>
  done: boolean
}

export function isFileDone (point: ExportFileCheckpoint | undefined): boolean {
  return point !== undefined && 'done' in point && point.done
}

function corrupt (label: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_CHECKPOINT_CORRUPT', `checkpoint ${label}: ${rule}; remove it to start over`, { checkpoint: label })
}

function checkSection (e: unknown, label: string): void {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) throw corrupt(label, 'export is not an object')
  const s = e as Partial<ExportCheckpoint>
  if (typeof s.done !== 'boolean') throw corrupt(label, 'export.done is not a boolean')
  for (const k of ['exportArn', 'folder'] as const) if (s[k] !== undefined && typeof s[k] !== 'string') throw corrupt(label, `export.${k} is not a string`)
  if (typeof s.files !== 'object' || s.files === null || Array.isArray(s.files)) throw corrupt(label, 'export.files is not an object')
  for (const [file, p] of Object.entries(s.files)) {
    const ok = typeof p === 'object' && p !== null && ((p as { done?: unknown }).done === true || (Number.isSafeInteger((p as { line?: unknown }).line) && (p as { line: number }).line >= 0))
    if (!ok) throw corrupt(label, `export.files[${JSON.stringify(file)}] is neither {"line":n} nor {"done":true}`)
  }
}

/** A checkpoint half-way through one kind of snapshot cannot be finished by the other; the export section must have its shape. */
export function checkSnapshotKind (doc: SourceCheckpoint, from: 'scan' | 'export', label: string): void {
  if (doc.export !== undefined) checkSection(doc.export, label)
  const scanOpen = doc.snapshot !== undefined && !doc.snapshot.done
  const exportOpen = doc.export !== undefined && !(doc.export as ExportCheckpoint).done
  if ((from === 'export' && scanOpen) || (from === 'scan' && exportOpen)) {
    const held = from === 'export' ? 'a Scan snapshot (snapshot.from=scan)' : 'an export snapshot (snapshot.from=export)'
    throw new OpenCDCError('ERR_DDB_CHECKPOINT_MISMATCH', `checkpoint ${label} holds ${held} not finished yet; resume it with the same snapshot.from, or remove the checkpoint to start over`, { checkpoint: label })
  }
}
