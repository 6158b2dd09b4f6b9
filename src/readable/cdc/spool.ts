import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'

interface MemorySegment<T> { kind: 'memory', items: T[] }
interface FileSegment { kind: 'file', file: string, count: number, writer: WriteStream | undefined, lines: AsyncIterator<string> | undefined }
type Segment<T> = MemorySegment<T> | FileSegment

const B64 = '$b64'

// Binary attribute values are Uint8Arrays, which JSON would turn into index maps.
function replacer (_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { [B64]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') } : value
}

function reviver (_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[B64] === 'string' && Object.keys(value).length === 1) {
    return new Uint8Array(Buffer.from((value as Record<string, string>)[B64] as string, 'base64'))
  }
  return value
}

export interface SpoolOptions {
  /** Entries kept in memory before the spool spills to files. */
  memoryLimit: number
  /** Parent directory for spill files (a private temp directory is made inside it). */
  dir?: string
  /** Entries per spill file. */
  fileEntries?: number
}

/** A FIFO that holds a bounded number of entries in memory and spills the rest to JSON Lines files, in order. */
export class Spool<T> {
  #segments: Array<Segment<T>> = []
  #inMemory = 0
  #size = 0
  #dir: string | undefined
  #opts: Required<Omit<SpoolOptions, 'dir'>> & { dir: string }
  #files = 0
  spilled = 0

  constructor (opts: SpoolOptions) {
    this.#opts = { memoryLimit: opts.memoryLimit, dir: opts.dir ?? os.tmpdir(), fileEntries: opts.fileEntries ?? 50_000 }
  }

  get size (): number { return this.#size }

  // append and shift interleave across awaits (file drain); one at a time keeps the order and the files sound.
  #lock: Promise<unknown> = Promise.resolve()

  #exclusive<R> (fn: () => Promise<R>): Promise<R> {
    const run = this.#lock.then(fn)
    this.#lock = run.catch(() => {})
    return run
  }

  /** Adds entries at the tail. */
  append (items: readonly T[]): Promise<void> { return this.#exclusive(async () => { await this.#append(items) }) }

  /** Removes and returns up to `max` entries from the head, oldest first. */
  shift (max: number): Promise<T[]> { return this.#exclusive(async () => await this.#shift(max)) }

  async #append (items: readonly T[]): Promise<void> {
    for (const item of items) {
      let last = this.#segments.at(-1)
      if (this.#inMemory < this.#opts.memoryLimit && (last === undefined || last.kind === 'memory' || last.count === 0)) {
        if (last === undefined || last.kind !== 'memory') this.#segments.push(last = { kind: 'memory', items: [] })
        last.items.push(item)
        this.#inMemory++
      } else {
        if (last === undefined || last.kind !== 'file' || last.writer === undefined || last.count >= this.#opts.fileEntries) {
          last = await this.#newFile()
        }
        const seg = last as FileSegment
        if (!(seg.writer as WriteStream).write(JSON.stringify(item, replacer) + '\n')) {
          await new Promise<void>((resolve) => (seg.writer as WriteStream).once('drain', resolve))
        }
        seg.count++
        this.spilled++
      }
      this.#size++
    }
  }

  async #newFile (): Promise<FileSegment> {
    this.#dir ??= await mkdtemp(path.join(this.#opts.dir, 'ddb-cdc-spool-'))
    const file = path.join(this.#dir, `${String(this.#files++).padStart(6, '0')}.jsonl`)
    const seg: FileSegment = { kind: 'file', file, count: 0, writer: createWriteStream(file), lines: undefined }
    this.#segments.push(seg)
    return seg
  }

  async #shift (max: number): Promise<T[]> {
    const out: T[] = []
    while (out.length < max && this.#segments.length > 0) {
      const seg = this.#segments[0] as Segment<T>
      if (seg.kind === 'memory') {
        const taken = seg.items.splice(0, max - out.length)
        this.#inMemory -= taken.length
        out.push(...taken)
        if (seg.items.length === 0) this.#segments.shift()
        continue
      }
      if (seg.writer !== undefined) {
        const writer = seg.writer
        seg.writer = undefined
        await new Promise<void>((resolve, reject) => writer.end((err?: Error | null) => { err != null ? reject(err) : resolve() }))
      }
      seg.lines ??= createInterface({ input: createReadStream(seg.file), crlfDelay: Infinity })[Symbol.asyncIterator]()
      while (out.length < max && seg.count > 0) {
        const next = await seg.lines.next()
        if (next.done === true) throw new Error(`spool file ${seg.file} ended ${seg.count} entries early`)
        out.push(JSON.parse(next.value, reviver) as T)
        seg.count--
      }
      if (seg.count === 0) {
        await seg.lines.return?.()
        this.#segments.shift()
        await rm(seg.file, { force: true })
      }
    }
    this.#size -= out.length
    return out
  }

  /** Deletes spill files. */
  async close (): Promise<void> {
    for (const seg of this.#segments) {
      // A write still queued when the spool closes fails with ERR_STREAM_DESTROYED; its data is being discarded anyway.
      if (seg.kind === 'file') { seg.writer?.on('error', () => {}); seg.writer?.destroy(); await seg.lines?.return?.() }
    }
    this.#segments = []
    this.#size = 0
    this.#inMemory = 0
    if (this.#dir !== undefined) await rm(this.#dir, { recursive: true, force: true })
  }
}
