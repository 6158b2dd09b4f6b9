import { open, type FileHandle } from 'node:fs/promises'
import { Writable } from 'node:stream'
import type { OpenCDCRecord } from '../model/record.js'
import { createSerializer, type RecordSerializer } from '../transforms/format.js'

export interface FileSinkOptions {
  /** Output format (default opencdc/json, one line per record), as `format()` takes it. */
  format?: string
  /** Format options (sdk.record.format.options), as `format()` takes them. */
  formatOptions?: string
  /** 'a' appends (default), 'w' truncates first. */
  flags?: 'a' | 'w'
}

/**
 * A Writable of records into a file whose write callback fires only once the lines are on disk (written,
 * then fsync'd): under `ackOnWrite(source, sink)` a record is acknowledged, and so checkpointed, only when
 * a crash can no longer lose it — which `createWriteStream` cannot say. Records arriving together share one fsync.
 */
export function createFileSink (path: string, options: FileSinkOptions = {}): Writable {
  const serialize: RecordSerializer = createSerializer(options.format ?? 'opencdc/json', options.formatOptions ?? '')
  let file: FileHandle | undefined
  const durable = async (records: OpenCDCRecord[]): Promise<void> => {
    const data = Buffer.concat(records.map((r) => { const line = serialize(r); return typeof line === 'string' ? Buffer.from(line) : line }))
    const fh = file as FileHandle
    for (let off = 0; off < data.length;) off += (await fh.write(data, off)).bytesWritten
    await fh.sync()
  }
  return new Writable({
    objectMode: true,
    highWaterMark: 256,
    construct (cb) { open(path, options.flags ?? 'a').then((fh) => { file = fh; cb() }, cb) },
    write (record: OpenCDCRecord, _enc, cb) { durable([record]).then(() => cb(), cb) },
    writev (chunks, cb) { durable(chunks.map((c) => c.chunk as OpenCDCRecord)).then(() => cb(), cb) },
    final (cb) { (file as FileHandle).sync().then(() => cb(), cb) },
    destroy (err, cb) {
      const fh = file
      file = undefined
      if (fh === undefined) { cb(err); return }
      fh.close().then(() => cb(err), (closeErr: Error) => cb(err ?? closeErr))
    }
  })
}
