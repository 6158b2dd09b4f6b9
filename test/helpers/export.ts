import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createHash, randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { scanAll, type Item } from './universe.js'

/** One low-level attribute as DynamoDB JSON text (B as base64), written here by hand rather than by the code under test. */
function attributeJSON (v: AttributeValue): unknown {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') }
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) }
  if (v.L !== undefined) return { L: v.L.map(attributeJSON) }
  if (v.M !== undefined) return { M: itemJSON(v.M) }
  return v
}

export function itemJSON (item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(item)) Object.defineProperty(out, k, { value: attributeJSON(v), enumerable: true, writable: true, configurable: true })
  return out
}

/** Export files as AWS lays them out, keyed by their path under the bucket (prefix/AWSDynamoDB/<id>/…). */
export interface ExportFiles {
  /** The export folder's key: <prefix>/AWSDynamoDB/<export-id>. */
  base: string
  files: Map<string, Buffer>
  items: Item[]
}

/**
 * A DynamoDB export of a real table, made the way ExportTableToPointInTime lays it out (Scan → one
 * {"Item":…} line per item → gzip, split into `fileCount` data files): manifest-summary.json,
 * manifest-files.json (JSON Lines: itemCount, md5Checksum, etag, dataFileS3Key), data/*.json.gz, _started.
 */
export async function exportTable (client: DynamoDBClient, table: string, opts: { prefix?: string, fileCount?: number, bucket?: string } = {}): Promise<ExportFiles> {
  const items = await scanAll(client, table)
  const id = `${Date.now()}-${randomUUID().slice(0, 8)}`
  const base = `${opts.prefix !== undefined ? opts.prefix + '/' : ''}AWSDynamoDB/${id}`
  const files = new Map<string, Buffer>()
  const count = Math.max(1, opts.fileCount ?? 3)
  const manifest: string[] = []
  for (let f = 0; f < count; f++) {
    const part = items.filter((_, i) => i % count === f)
    const gz = gzipSync(part.map((item) => JSON.stringify({ Item: itemJSON(item) }) + '\n').join(''))
    const key = `${base}/data/${randomUUID().replace(/-/g, '').slice(0, 26)}.json.gz`
    files.set(key, gz)
    const md5 = createHash('md5').update(gz)
    manifest.push(JSON.stringify({ itemCount: part.length, md5Checksum: md5.copy().digest('base64'), etag: md5.digest('hex'), dataFileS3Key: key }))
  }
  const now = new Date().toISOString()
  files.set(`${base}/manifest-files.json`, Buffer.from(manifest.join('\n') + '\n'))
  files.set(`${base}/manifest-summary.json`, Buffer.from(JSON.stringify({
    version: '2020-06-30', exportArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}/export/${id}`, startTime: now, endTime: now,
    tableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`, tableId: randomUUID(), exportTime: now, s3Bucket: opts.bucket ?? 'bucket',
    s3Prefix: opts.prefix ?? null, manifestFilesS3Key: `${base}/manifest-files.json`, billedSizeBytes: 0, itemCount: items.length, outputFormat: 'DYNAMODB_JSON'
  })))
  files.set(`${base}/_started`, Buffer.alloc(0))
  return { base, files, items }
}

/** Writes the export under a local directory (as `aws s3 sync` would); returns the export folder's path. */
export function writeExportDir (root: string, exp: ExportFiles): string {
  for (const [key, body] of exp.files) {
    mkdirSync(dirname(join(root, key)), { recursive: true })
    writeFileSync(join(root, key), body)
  }
  return join(root, exp.base)
}
