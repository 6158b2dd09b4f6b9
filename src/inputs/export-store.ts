import { GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { OpenCDCError } from '../errors/index.js'

/** Where an export folder's files are read from: a local directory or an S3 prefix. */
export interface ExportStore {
  /** The folder, for messages: a path or s3://bucket/prefix. */
  readonly name: string
  text: (path: string, signal?: AbortSignal) => Promise<string>
  open: (path: string, signal?: AbortSignal) => Promise<Readable>
  close: () => void
}

function readError (store: string, path: string, err: unknown): OpenCDCError {
  const e = err as { name?: string, code?: string, message?: string }
  const why = e.name === 'NoSuchKey' || e.code === 'ENOENT' ? 'does not exist' : `cannot be read (${e.name ?? e.code ?? 'Error'}: ${e.message ?? String(err)})`
  return new OpenCDCError('ERR_DDB_EXPORT_READ', `${store}/${path} ${why}`, { file: path }, { cause: err })
}

export function localExportStore (dir: string): ExportStore {
  const name = dir.replace(/\/+$/, '')
  return {
    name,
    async text (path) {
      try { return await readFile(join(dir, path), 'utf8') } catch (err) { throw readError(name, path, err) }
    },
    async open (path) {
      const stream = createReadStream(join(dir, path))
      // Open errors (a missing file) surface here, named, instead of mid-stream.
      await new Promise<void>((resolve, reject) => { stream.once('open', () => resolve()); stream.once('error', (err) => reject(readError(name, path, err))) })
      return stream
    },
    close () {}
  }
}

/** s3://bucket/prefix → { bucket, prefix } (prefix without a trailing slash). */
export function parseS3Url (url: string): { bucket: string, prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url)
  if (m === null) throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `expected an S3 URL like s3://bucket/prefix/AWSDynamoDB/<export-id>/, got ${JSON.stringify(url)}`, { option: 'location' })
  return { bucket: m[1] as string, prefix: (m[2] as string).replace(/\/+$/, '') }
}

export function s3ExportStore (url: string, client: S3Client | S3ClientConfig = {}): ExportStore {
  const { bucket, prefix } = parseS3Url(url)
  const own = !(client instanceof S3Client)
  const s3 = client instanceof S3Client ? client : new S3Client(client)
  const name = `s3://${bucket}${prefix === '' ? '' : '/' + prefix}`
  const get = async (path: string, signal?: AbortSignal): Promise<Readable> => {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: prefix === '' ? path : `${prefix}/${path}` }), { abortSignal: signal })
      return out.Body as Readable
    } catch (err) {
      throw readError(name, path, err)
    }
  }
  return {
    name,
    async text (path, signal) {
      const body = await get(path, signal)
      const chunks: Buffer[] = []
      try { for await (const c of body) chunks.push(c as Buffer) } catch (err) { throw readError(name, path, err) }
      return Buffer.concat(chunks).toString('utf8')
    },
    open: get,
    close () { if (own) s3.destroy() }
  }
}

/** An export folder by its location: s3://… → S3 (with this client or config), anything else → a local directory. */
export function exportStore (location: string, client?: S3Client | S3ClientConfig): ExportStore {
  return location.startsWith('s3://') ? s3ExportStore(location, client) : localExportStore(location)
}
