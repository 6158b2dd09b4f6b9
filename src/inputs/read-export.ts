import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { OpenCDCError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'
import { checkTotal, exportBase, parseManifestFiles, parseSummary, tableName, type ExportDataFile } from './export-manifest.js'
import { exportStore, type ExportStore } from './export-store.js'
import { parseInput } from './parse.js'
import type { InputPosition } from './position.js'

export interface ReadExportOptions {
  /** An S3 client, or the config for one (region, endpoint, credentials, forcePathStyle), for s3:// locations. */
  s3?: S3Client | S3ClientConfig
  /** Resume after this position (a record's decoded position): earlier files and lines are skipped. */
  after?: Pick<InputPosition, 'file' | 'line'>
  keyNames?: readonly string[]
  /** opencdc.collection metadata (default: the table named by manifest-summary's tableArn). */
  collection?: string
}

/** The export folder's manifests: the data files to read, in manifest order, checked against the summary's total. */
export async function readManifest (store: ExportStore): Promise<{ files: ExportDataFile[], collection?: string }> {
  const summary = parseSummary(await store.text('manifest-summary.json'))
  const files = parseManifestFiles(await store.text('manifest-files.json'), exportBase(summary))
  checkTotal(summary, files)
  const collection = tableName(summary.tableArn)
  return collection !== undefined ? { files, collection } : { files }
}

function mismatch (store: ExportStore, f: ExportDataFile, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_EXPORT_MISMATCH', `${store.name}/${f.path}: ${rule}`, { file: f.dataFileS3Key })
}

/**
 * One data file → its snapshot records (line positions), then checks its item count and MD5 against the
 * manifest: a short or altered file fails, naming the file and both values.
 */
export async function * readDataFile (store: ExportStore, f: ExportDataFile, options: { startLine?: number, keyNames?: readonly string[], collection?: string } = {}): AsyncGenerator<OpenCDCRecord> {
  const raw = await store.open(f.path)
  const md5 = createHash('md5')
  async function * bytes (): AsyncGenerator<Buffer> {
    try {
      for await (const c of raw) { md5.update(c as Buffer); yield c as Buffer }
    } catch (err) {
      throw new OpenCDCError('ERR_DDB_EXPORT_READ', `${store.name}/${f.path} failed while reading (${(err as Error).message})`, { file: f.dataFileS3Key }, { cause: err })
    }
  }
  const startLine = options.startLine ?? 0
  let count = startLine
  try {
    for await (const r of parseInput(bytes(), { kind: 'export', file: f.dataFileS3Key, dynamodbJson: false, startLine, ...(options.keyNames !== undefined ? { keyNames: options.keyNames } : {}), ...(options.collection !== undefined ? { collection: options.collection } : {}) })) {
      count++
      yield r as OpenCDCRecord
    }
  } finally {
    raw.destroy()
  }
  if (count !== f.itemCount) throw mismatch(store, f, `holds ${count} items but manifest-files.json says itemCount ${f.itemCount}`)
  const digest = md5.digest('base64')
  if (startLine === 0 && f.md5Checksum !== undefined && digest !== f.md5Checksum) throw mismatch(store, f, `MD5 is ${digest} but manifest-files.json says ${f.md5Checksum}`)
}

/** Where a resume starts: the file named by `after` and the line after it (an unknown file is an error, not a restart). */
function resumePoint (files: ExportDataFile[], after: ReadExportOptions['after']): { index: number, line: number } {
  if (after === undefined) return { index: 0, line: 0 }
  const index = files.findIndex((f) => f.dataFileS3Key === after.file)
  if (index < 0) throw new OpenCDCError('ERR_DDB_INVALID_POSITION', `resume position names ${after.file}, which manifest-files.json does not list`, { file: after.file })
  return { index, line: after.line ?? 0 }
}

/**
 * A whole DynamoDB export (the folder holding manifest-summary.json and manifest-files.json, a local path
 * or s3://bucket/prefix/AWSDynamoDB/<export-id>/) → a Readable of typed snapshot records, file by file in
 * manifest order, each file checked against the manifest.
 */
export function readExport (location: string, options: ReadExportOptions = {}): Readable {
  const store = exportStore(location, options.s3)
  async function * records (): AsyncGenerator<OpenCDCRecord> {
    try {
      const { files, collection } = await readManifest(store)
      const start = resumePoint(files, options.after)
      for (let i = start.index; i < files.length; i++) {
        const c = options.collection ?? collection
        yield * readDataFile(store, files[i] as ExportDataFile, { startLine: i === start.index ? start.line : 0, ...(options.keyNames !== undefined ? { keyNames: options.keyNames } : {}), ...(c !== undefined ? { collection: c } : {}) })
      }
    } finally {
      store.close()
    }
  }
  return Readable.from(records(), { objectMode: true, highWaterMark: 1000 })
}
