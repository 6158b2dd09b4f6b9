import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3'
import type { Checkpointer } from '../../checkpoint/checkpointer.js'
import { OpenCDCError } from '../../errors/index.js'
import type { ExportDataFile } from '../../inputs/export-manifest.js'
import { exportStore, type ExportStore } from '../../inputs/export-store.js'
import { decodeInputPosition } from '../../inputs/position.js'
import { readDataFile, readManifest } from '../../inputs/read-export.js'
import { noMetrics, type Metrics } from '../../metrics/index.js'
import { startExport, waitForExport, type ExportClient } from './export-call.js'
import type { SnapshotHost, SnapshotProgress, TableInfo } from './engine.js'
import { isFileDone, type ExportCheckpoint, type ExportFileCheckpoint } from './export-checkpoint.js'
import { clientConfig, sleep, type ClientOptions } from '../../aws/clients.js'

export interface ExportSnapshotOptions {
  exportS3Bucket?: string | undefined
  exportS3Prefix?: string | undefined
  exportArn?: string | undefined
  exportUrl?: string | undefined
  exportPollInterval: number
  exportDelay: number
  exportConcurrency: number
  snapshotRetries: number
  maxUnacked: number
}

export interface ExportEngineOptions {
  /** Client for ExportTableToPointInTime and DescribeExport (the source's DynamoDB client unless replaced). */
  exportClient: ExportClient
  /** The S3 client (or its config) the data files are read with. */
  s3: S3Client | S3ClientConfig
  table: TableInfo
  options: ExportSnapshotOptions
  checkpoint: Checkpointer
  signal: AbortSignal
  metrics?: Metrics | undefined
}

/**
 * The snapshot read from a DynamoDB export instead of a Scan: request the export (or take the one in the
 * checkpoint / exportArn), wait for it, then read its data files, exportConcurrency at once, each in line
 * order, one checkpoint lane per file, so a restart resumes each file after its last acknowledged line.
 * Called by the source after the stream anchor, so the export's cut follows it: writes between anchor and cut
 * are in both the export and the stream, and CDC replays them after every snapshot record as idempotent
 * upserts/deletes in per-key order; no write falls between the two (docs/exports.md).
 */
export class ExportSnapshotEngine {
  #o: ExportEngineOptions
  #host: SnapshotHost
  #section: ExportCheckpoint
  #wanted = false
  #stopped = false
  #wake: Array<() => void> = []
  #progress: SnapshotProgress = { phase: 'snapshot', items: 0, segmentsDone: 0, totalSegments: 0, estimatedItems: 0 }
  #metrics: Metrics

  constructor (o: ExportEngineOptions, host: SnapshotHost) {
    this.#o = o
    this.#host = host
    this.#metrics = o.metrics ?? noMetrics
    const doc = o.checkpoint.doc as { export?: ExportCheckpoint }
    this.#section = doc.export ??= { files: {}, done: false }
    o.signal.addEventListener('abort', () => { this.#stopped = true; this.pump() }, { once: true })
  }

  /** Starts on the consumer's first read: there is demand. */
  start (): void {
    this.#wanted = true
    this.#run().then(() => { if (!this.#stopped) this.#host.done() }, (err: unknown) => {
      const stopped = this.#stopped
      this.#stopped = true
      this.pump()
      if (!stopped) this.#host.error(err instanceof Error ? err : new Error(String(err)))
    })
  }

  /** The consumer wants more. */
  resume (): void {
    this.#wanted = true
    this.pump()
  }

  /** Wakes the file readers (demand or acknowledgement room came back). */
  pump (): void {
    for (const wake of this.#wake.splice(0)) wake()
  }

  async #run (): Promise<void> {
    const { checkpoint, options: o, table, signal } = this.#o
    const section = this.#section
    if (o.exportUrl !== undefined) this.#given(o.exportUrl)
    else if (section.exportArn === undefined) {
      section.exportArn = o.exportArn ?? await this.#request()
      checkpoint.changed()
      // Saved before waiting: a restart must find this export again rather than request (and pay for) another.
      await checkpoint.flush()
    }
    if (section.folder === undefined) {
      this.#progress.export = { arn: section.exportArn as string, status: 'IN_PROGRESS' }
      this.#report()
      section.folder = await waitForExport(this.#o.exportClient, section.exportArn as string, { table: table.name, pollInterval: o.exportPollInterval, retries: o.snapshotRetries, signal })
      checkpoint.changed()
    }
    const store = exportStore(section.folder, this.#o.s3)
    try {
      const { files } = await readManifest(store)
      this.#progress.export = { arn: section.exportArn ?? section.folder, status: 'COMPLETED' }
      const left = files.filter((f) => !isFileDone(section.files[f.dataFileS3Key]))
      this.#progress.segmentsDone = files.length - left.length
      this.#progress.totalSegments = files.length
      this.#progress.estimatedItems = files.reduce((n, f) => n + f.itemCount, 0)
      for (const [i, f] of files.entries()) {
        checkpoint.lane(`export:${i}`, (point) => { this.#commit(files, f, point as ExportFileCheckpoint) })
      }
      this.#report()
      const lanes = new Map(files.map((f, i) => [f, `export:${i}`]))
      // Bounded parallelism: each runner takes the next unread file; records within a file keep their line order.
      const runner = async (): Promise<void> => {
        for (let f = left.shift(); f !== undefined && !this.#stopped; f = left.shift()) await this.#readFile(store, f, lanes.get(f) as string)
      }
      await Promise.all(Array.from({ length: Math.min(o.exportConcurrency, left.length) }, runner))
      if (files.length === 0) { section.done = true; checkpoint.changed() }
    } finally {
      store.close()
    }
  }

  // exportUrl: the folder is known, no export API call; a checkpoint of another export cannot be finished with it.
  #given (url: string): void {
    const section = this.#section
    const folder = url.replace(/\/+$/, '')
    if (section.folder !== undefined && section.folder.replace(/\/+$/, '') !== folder) {
      throw new OpenCDCError('ERR_DDB_CHECKPOINT_MISMATCH', `checkpoint ${this.#o.checkpoint.label} holds export ${section.folder}, not ${folder}; resume it with the same snapshot.export.url, or remove the checkpoint to start over`, { checkpoint: this.#o.checkpoint.label })
    }
    if (section.folder === undefined) { section.folder = folder; this.#o.checkpoint.changed() }
  }

  async #request (): Promise<string> {
    const { table, options: o, signal } = this.#o
    const tableArn = table.description.TableArn
    if (tableArn === undefined) throw new OpenCDCError('ERR_DDB_EXPORT_FAILED', `export of table "${table.name}": DescribeTable gave no TableArn to export`, { table: table.name, reason: 'request' })
    // AWS documents the export's cut as accurate to about a minute: the delay keeps the cut after the anchor.
    if (o.exportDelay > 0) await sleep(o.exportDelay, signal)
    return await startExport(this.#o.exportClient, { table: table.name, tableArn, bucket: o.exportS3Bucket as string, prefix: o.exportS3Prefix, retries: o.snapshotRetries, signal })
  }

  #commit (files: ExportDataFile[], f: ExportDataFile, point: ExportFileCheckpoint): void {
    const section = this.#section
    section.files[f.dataFileS3Key] = point
    if (isFileDone(point) && files.every((g) => isFileDone(section.files[g.dataFileS3Key]))) section.done = true
  }

  async #readFile (store: ExportStore, f: ExportDataFile, lane: string): Promise<void> {
    const { checkpoint, table } = this.#o
    const at = this.#section.files[f.dataFileS3Key]
    const startLine = at !== undefined && 'line' in at ? at.line : 0
    for await (const r of readDataFile(store, f, { startLine, keyNames: table.keyNames, collection: table.name })) {
      if (this.#blocked()) await this.#gate()
      if (this.#stopped) return
      checkpoint.track(lane, { line: decodeInputPosition(r.position).line as number }, r.position)
      this.#progress.items++
      this.#metrics.read(table.name, 'snapshot', 1)
      if (!this.#host.push(r)) this.#wanted = false
    }
    checkpoint.mark(lane, { done: true })
    this.#progress.segmentsDone++
    this.#report()
  }

  #blocked (): boolean {
    return !this.#stopped && (!this.#wanted || this.#o.checkpoint.unacked >= this.#o.options.maxUnacked)
  }

  async #gate (): Promise<void> {
    while (this.#blocked()) await new Promise<void>((resolve) => { this.#wake.push(resolve) })
  }

  #report (): void {
    this.#metrics.snapshot(this.#o.table.name, this.#progress)
    this.#host.progress({ ...this.#progress, ...(this.#progress.export !== undefined ? { export: { ...this.#progress.export } } : {}) })
  }
}

/** The S3 client for the data files: exportS3 when given, else the source's region and credentials (not its DynamoDB endpoint). */
export function exportS3Config (o: ClientOptions & { exportS3?: object }): S3Client | S3ClientConfig {
  if (o.exportS3 !== undefined) return o.exportS3 as S3Client | S3ClientConfig
  const { endpoint: _endpoint, requestHandler: _handler, ...config } = clientConfig(o)
  return config as S3ClientConfig
}
