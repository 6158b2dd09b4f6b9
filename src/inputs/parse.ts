import { Readable, type Duplex } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { flushable, none } from 'stream-chain/defs.js'
import fixUtf8Stream from 'stream-chain/utils/fixUtf8Stream.js'
import lines from 'stream-chain/utils/lines.js'
import { jsonParser } from 'stream-json/parser.js'
import { jsonVerifier } from 'stream-json/utils/verifier.js'
import { resolveOptions, type OptionSpec } from '../options/options.js'
import { OpenCDCError, isOpenCDCError } from '../errors/index.js'
import { parseJSONLossless } from '../model/json-value.js'
import type { OpenCDCRecord } from '../model/record.js'
import { recordFromJSON } from '../transforms/opencdc-json.js'
import { createLineParser } from '../transforms/jsonl.js'
import { runStages, type Stage } from './chain.js'
import { IterableDuplex } from './parser-stream.js'
import { INPUT_KINDS, SNIFF_BYTES, kindHint, kindName, sniffKind, undecided, type ConcreteKind, type InputKind } from './detect.js'
import { exportLineRecord, inputError, itemRecord } from './item.js'
import { describeInputPosition, type InputPosition } from './position.js'
import { DocumentReader, ShapeError, type Token } from './tokens.js'

export const INPUT_PARSE_SPECS: readonly OptionSpec[] = [
  { name: 'kind', setting: 'input.format', kind: 'enum', values: INPUT_KINDS, default: 'auto', doc: 'What the bytes are: auto (detected), aws-scan, export, opencdc-array or opencdc-jsonl.' },
  { name: 'file', kind: 'string', default: '-', doc: 'The input\'s name, used in positions and errors (- is stdin).' },
  { name: 'keyNames', kind: 'object', doc: 'Attribute names copied from each item into record.key (default: key null; the destination takes the key from payload.after).' },
  { name: 'collection', kind: 'string', doc: 'opencdc.collection metadata for items (the table they came from).' },
  { name: 'dynamodbJson', setting: 'opencdc.dynamodbJson', kind: 'bool', default: false, doc: 'OpenCDC inputs: key/before/after objects are typed DynamoDB JSON.' },
  { name: 'typeHints', setting: 'opencdc.typeHints', kind: 'bool', default: true, doc: 'OpenCDC inputs: give sets and binaries named in metadata "dynamodb.types" their type back.' },
  { name: 'startLine', kind: 'int', min: 0, default: 0, doc: 'Line-based inputs: skip lines up to this one (a resume after line N).' },
  { name: 'deadLetter', kind: 'function', doc: 'Called with (error, where) for each bad item or line instead of failing; what it returns (if not undefined) is emitted in its place.' }
]

/** Where a bad item or line was, for a dead-letter handler. */
export interface BadInput extends InputPosition { text?: string }

export interface DynamoDBJSONParseOptions {
  kind?: InputKind
  file?: string
  keyNames?: readonly string[]
  collection?: string
  dynamodbJson?: boolean
  typeHints?: boolean
  startLine?: number
  deadLetter?: (error: OpenCDCError, where: BadInput) => unknown
}

type Resolved = Required<Pick<DynamoDBJSONParseOptions, 'kind' | 'file' | 'dynamodbJson' | 'startLine'>> & DynamoDBJSONParseOptions

/**
 * Bytes → typed snapshot records, in constant memory, for the inputs DynamoDB users have: `aws dynamodb
 * scan`/`query` output (pages concatenated), export data files (gzip or not), a JSON array of OpenCDC
 * records, OpenCDC JSON Lines. Streams with stream-json; numbers keep every digit.
 */
export function parseDynamoDBJSON (options: DynamoDBJSONParseOptions = {}): Duplex {
  const o = resolveOptions<Resolved>(INPUT_PARSE_SPECS, options as Record<string, unknown>, 'parseDynamoDBJSON')
  if (o.keyNames !== undefined && (!Array.isArray(o.keyNames) || !o.keyNames.every((k) => typeof k === 'string' && k !== ''))) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'parseDynamoDBJSON: keyNames must be an array of attribute names', { option: 'keyNames' })
  }
  return new IterableDuplex((source) => parseInput(source, o))
}

/** The pure-ish engine behind parseDynamoDBJSON: async iterable of bytes → async iterable of records. */
export async function * parseInput (source: AsyncIterable<Buffer | string>, o: Resolved): AsyncGenerator<unknown> {
  const text = decodeText(await gunzipIfNeeded(source, o.file))
  let head = ''
  let ended = false
  while (head.length < SNIFF_BYTES && undecided(head)) {
    const r = await text.next()
    if (r.done === true) { ended = true; break }
    head += r.value
  }
  if (ended && head.trim() === '') return
  const seen = sniffKind(head)
  const name = o.file === '-' ? 'stdin' : o.file
  // Unrecognized text is read as OpenCDC JSON Lines (the historical input), whose parser names the bad line (and can dead-letter it).
  const kind: ConcreteKind = o.kind !== 'auto' ? o.kind : seen ?? 'opencdc-jsonl'
  if (seen !== undefined && seen !== kind) throw new OpenCDCError('ERR_DDB_INPUT_KIND', `${name} is not ${kindName(kind)}: ${kindHint(seen)}`, { file: o.file, kind, seen })
  const reader = readerFor(kind, o)
  yield * reader(head)
  if (!ended) for (let r = await text.next(); r.done !== true; r = await text.next()) yield * reader(r.value)
  yield * reader(none)
}

/** Peeks the first bytes: gzip's magic number (1f 8b) means a compressed export file. */
async function gunzipIfNeeded (source: AsyncIterable<Buffer | string>, file: string): Promise<AsyncIterable<Buffer | string>> {
  const iter = source[Symbol.asyncIterator]()
  const first: Array<Buffer | string> = []
  let size = 0
  let done = false
  while (size < 2) {
    const r = await iter.next()
    if (r.done === true) { done = true; break }
    first.push(r.value)
    size += r.value.length
  }
  async function * replay (): AsyncGenerator<Buffer | string> {
    yield * first
    if (!done) for (let r = await iter.next(); r.done !== true; r = await iter.next()) yield r.value
  }
  const lead = typeof first[0] === 'string' ? Buffer.from(first.join('')) : Buffer.concat(first as Buffer[])
  if (lead[0] !== 0x1f || lead[1] !== 0x8b) return replay()
  const gunzip = Readable.from(replay()).pipe(createGunzip())
  return (async function * () {
    try {
      for await (const chunk of gunzip) yield chunk as Buffer
    } catch (err) {
      throw new OpenCDCError('ERR_DDB_INVALID_INPUT', `${file}: not valid gzip (${(err as Error).message})`, { file }, { cause: err })
    }
  })()
}

async function * decodeText (source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const fix = fixUtf8Stream() as unknown as Stage
  for await (const chunk of source) for (const s of runStages([fix], chunk)) yield s as string
  for (const s of runStages([fix], none)) yield s as string
}

type Reader = (text: string | typeof none) => unknown[]

function readerFor (kind: ConcreteKind, o: Resolved): Reader {
  if (kind === 'aws-scan' || kind === 'opencdc-array') return tokenReader(kind, o)
  return lineReader(kind, o)
}

/** A bad item: dead-lettered when asked (its replacement, if any, is emitted), otherwise thrown. */
function rejectItem (o: Resolved, out: unknown[], err: unknown, where: BadInput): void {
  const e = isOpenCDCError(err) ? err : inputError(where, (err as Error).message, err)
  if (o.deadLetter === undefined) throw e
  const mark = o.deadLetter(e, where)
  if (mark !== undefined) out.push(mark)
}

/** Scan output and JSON arrays: stream-json tokens → one element at a time; a verifier alongside names the line and column of bad JSON. */
function tokenReader (kind: 'aws-scan' | 'opencdc-array', o: Resolved): Reader {
  const verify = jsonVerifier({ jsonStreaming: true }) as unknown as Stage
  const tee = flushable((chunk: unknown) => {
    try {
      verify(chunk)
    } catch (err) {
      const e = err as Error & { line?: number, pos?: number }
      throw new OpenCDCError('ERR_DDB_INVALID_INPUT', `${o.file === '-' ? 'stdin' : o.file} line ${e.line ?? '?'}, column ${e.pos ?? '?'}: invalid JSON (${e.message})`, { file: o.file, line: e.line, column: e.pos }, { cause: err })
    }
    return chunk
  }) as unknown as Stage
  const stages = [tee, jsonParser({ streamValues: false, jsonStreaming: true }) as unknown as Stage]
  let out: unknown[] = []
  const onValue = kind === 'aws-scan'
    ? (value: unknown, w: { page: number, index: number }) => {
        const where = { file: o.file, page: w.page, index: w.index }
        try { out.push(itemRecord(value, where, o)) } catch (err) { rejectItem(o, out, err, where) }
      }
    : (value: unknown, w: { index: number }) => {
        const where = { file: o.file, index: w.index }
        try { out.push(recordFromJSON(value, o)) } catch (err) { rejectItem(o, out, inputError(where, `not an OpenCDC record: ${(err as Error).message}`, err), where) }
      }
  const doc = new DocumentReader(kind === 'aws-scan' ? 'scan' : 'array', onValue)
  return (text) => {
    try {
      for (const t of runStages(stages, text)) doc.feed(t as Token)
      if (text === none) doc.end()
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err
      const where = { file: o.file, ...(err.where.page !== undefined && kind === 'aws-scan' ? { page: err.where.page } : {}) }
      throw new OpenCDCError('ERR_DDB_INVALID_INPUT', `${describeInputPosition(where)}: ${err.rule}`, where)
    }
    const got = out
    out = []
    return got
  }
}

/** Export data files and OpenCDC JSON Lines: one document per line, parsed losslessly, named by line. */
function lineReader (kind: 'export' | 'opencdc-jsonl', o: Resolved): Reader {
  const split = lines() as unknown as Stage
  let lineNo = 0
  let out: unknown[] = []
  const jsonl = kind === 'opencdc-jsonl'
    ? createLineParser({ dynamodbJson: o.dynamodbJson, typeHints: o.typeHints !== false, ...(o.deadLetter !== undefined ? { deadLetter: (e, w) => { const mark = o.deadLetter?.(e, { file: o.file, line: w.line, text: w.text }); if (mark !== undefined) out.push(mark) } } : {}) })
    : undefined
  const onLine = (line: string): void => {
    lineNo++
    if (jsonl !== undefined) {
      let r
      try { r = jsonl(line) } catch (err) { throw withFile(err, o.file) }
      if (r !== none) out.push(r)
      return
    }
    if (lineNo <= o.startLine || line.trim() === '') return
    const where = { file: o.file, line: lineNo }
    let doc: unknown
    try {
      doc = parseJSONLossless(line)
    } catch (err) {
      return rejectItem(o, out, inputError(where, `invalid JSON (${(err as Error).message}): ${line.length > 80 ? line.slice(0, 80) + '…' : line}`, err), { ...where, text: line })
    }
    try { out.push(exportLineRecord(doc, where, o)) } catch (err) { rejectItem(o, out, err, { ...where, text: line }) }
  }
  return (text) => {
    for (const line of runStages([split], text)) onLine(line as string)
    const got = out
    out = []
    return got as OpenCDCRecord[]
  }
}

function withFile (err: unknown, file: string): unknown {
  if (!isOpenCDCError(err) || file === '-') return err
  return new OpenCDCError(err.code, `${file} ${err.message}`, { ...err.details, file }, { cause: err.cause })
}
