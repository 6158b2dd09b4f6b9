import { OpenCDCError } from '../errors/index.js'

/** manifest-summary.json: the fields a reader uses (AWS writes more). */
export interface ExportSummary {
  exportArn?: string
  tableArn?: string
  itemCount?: number
  outputFormat?: string
  manifestFilesS3Key?: string
}

/** One line of manifest-files.json: a data file and what it must hold. */
export interface ExportDataFile {
  /** The key as the manifest names it (positions use it, so a resume finds the file again). */
  dataFileS3Key: string
  /** The key relative to the export folder (data/….json.gz), for reading it from wherever the export was copied. */
  path: string
  itemCount: number
  md5Checksum?: string
}

function bad (file: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_EXPORT_MISMATCH', `${file}: ${rule}`, { file })
}

export function parseSummary (text: string, file = 'manifest-summary.json'): ExportSummary {
  let doc: unknown
  try { doc = JSON.parse(text) } catch (err) { throw bad(file, `not JSON (${(err as Error).message})`) }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad(file, 'must be a JSON object')
  const s = doc as ExportSummary
  if (s.outputFormat !== undefined && s.outputFormat !== 'DYNAMODB_JSON') throw bad(file, `outputFormat is ${JSON.stringify(s.outputFormat)}; only DYNAMODB_JSON exports are read`)
  return s
}

/** The table name in an ARN like arn:aws:dynamodb:us-east-1:123:table/orders. */
export function tableName (tableArn: string | undefined): string | undefined {
  const m = /:table\/([^/]+)/.exec(tableArn ?? '')
  return m?.[1]
}

/** Where a manifest's absolute key sits inside the export folder: after <…>/AWSDynamoDB/<id>/, else from data/. */
export function relativePath (key: string, base: string | undefined): string {
  if (base !== undefined && base !== '' && key.startsWith(base + '/')) return key.slice(base.length + 1)
  const i = key.lastIndexOf('/data/')
  if (i >= 0) return key.slice(i + 1)
  return key.startsWith('data/') ? key : `data/${key.slice(key.lastIndexOf('/') + 1)}`
}

/** manifest-files.json (JSON Lines) → the data files in manifest order; base = the export folder's key (dirname of manifestFilesS3Key). */
export function parseManifestFiles (text: string, base?: string, file = 'manifest-files.json'): ExportDataFile[] {
  const out: ExportDataFile[] = []
  const seen = new Set<string>()
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue
    const where = `${file} line ${i + 1}`
    let doc: Record<string, unknown>
    try { doc = JSON.parse(line) as Record<string, unknown> } catch (err) { throw bad(where, `not JSON (${(err as Error).message})`) }
    const key = doc?.dataFileS3Key
    const count = doc?.itemCount
    if (typeof key !== 'string' || key === '') throw bad(where, 'needs "dataFileS3Key"')
    if (!Number.isSafeInteger(count) || (count as number) < 0) throw bad(where, `needs a whole "itemCount", got ${JSON.stringify(count)}`)
    if (seen.has(key)) throw bad(where, `lists ${key} twice`)
    seen.add(key)
    out.push({ dataFileS3Key: key, path: relativePath(key, base), itemCount: count as number, ...(typeof doc.md5Checksum === 'string' ? { md5Checksum: doc.md5Checksum } : {}) })
  }
  return out
}

/** The export folder's own key prefix, from manifest-summary's manifestFilesS3Key. */
export function exportBase (summary: ExportSummary): string | undefined {
  const k = summary.manifestFilesS3Key
  if (k === undefined) return undefined
  const i = k.lastIndexOf('/')
  return i < 0 ? '' : k.slice(0, i)
}

/** Checks the summary's total against the files' counts (when the summary has one). */
export function checkTotal (summary: ExportSummary, files: readonly ExportDataFile[]): void {
  if (summary.itemCount === undefined) return
  const sum = files.reduce((n, f) => n + f.itemCount, 0)
  if (sum !== summary.itemCount) throw bad('manifest-summary.json', `says itemCount ${summary.itemCount} but manifest-files.json lists ${sum} items in ${files.length} files`)
}
