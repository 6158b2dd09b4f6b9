import { createWriteStream, type WriteStream } from 'node:fs'
import { finished } from 'node:stream/promises'
import type { OpenCDCRecord } from '../../model/record.js'
import { mergeFlag } from './args.js'
import { BAD_LINE, isBadLine, openSerializer, type BadLine, type BadLineMark, type RecordSerializer } from './connectors.js'

function errorJSON (err: Error): string {
  const code = (err as { code?: unknown }).code
  return JSON.stringify({ ...(typeof code === 'string' ? { code } : {}), message: err.message })
}

/**
 * A JSON Lines file of what could not be handled: `{"error":…,"record":<opencdc/json>}` for records
 * the destination rejected, `{"error":…,"line":N,"text":"…"}` for input lines that did not parse,
 * `{"error":…,"streamRecord":<as GetRecords returned it>}` for stream records that could not be decoded.
 */
export class DeadLetterFile {
  readonly path: string
  count = 0
  #out: WriteStream
  #serialize: RecordSerializer

  constructor (path: string, serialize: RecordSerializer) {
    this.path = path
    this.#serialize = serialize
    this.#out = createWriteStream(path, { flags: 'a' })
  }

  record (record: OpenCDCRecord, err: Error): void {
    const line = this.#serialize(record).toString().trimEnd()
    this.count++
    this.#out.write(`{"error":${errorJSON(err)},"record":${line}}\n`)
  }

  /** A stream record that could not be decoded, as GetRecords returned it (bytes as base64); resolves once the line is written. */
  async streamRecord (record: unknown, err: Error): Promise<void> {
    this.count++
    const raw = JSON.stringify(record, (_k, v: unknown) => v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : v)
    await new Promise<void>((resolve, reject) => {
      this.#out.write(`{"error":${errorJSON(err)},"streamRecord":${raw}}\n`, (e) => { e == null ? resolve() : reject(e) })
    })
  }

  line (err: Error, where: BadLine): void {
    this.count++
    this.#out.write(`{"error":${errorJSON(err)},"line":${where.line},"text":${JSON.stringify(where.text)}}\n`)
  }

  async close (): Promise<void> {
    this.#out.end()
    await finished(this.#out)
  }
}

/** Passes records on; a bad line goes to the dead-letter file, or ends the input with its error (after the records before it). */
export async function * withoutBadLines (items: AsyncIterable<OpenCDCRecord | BadLineMark>, deadLetter: DeadLetterFile | undefined): AsyncGenerator<OpenCDCRecord> {
  for await (const item of items) {
    if (!isBadLine(item)) { yield item; continue }
    const { error, where } = item[BAD_LINE]
    if (deadLetter === undefined) throw error
    deadLetter.line(error, where)
  }
}

/** Source settings that send undecodable stream records to `file` (onInvalidRecord: dead-letter), with a warning for each on the UI. */
export async function streamDeadLetter (command: string, settings: Record<string, unknown>, file: string | undefined): Promise<DeadLetterFile | undefined> {
  if (file === undefined) return undefined
  mergeFlag(command, settings, 'onInvalidRecord', ['cdc.onInvalidRecord'], 'dead-letter', '--dead-letter')
  const out = new DeadLetterFile(file, await openSerializer('opencdc/json', ''))
  settings.deadLetter = async (record: unknown, err: Error) => { await out.streamRecord(record, err) }
  return out
}
