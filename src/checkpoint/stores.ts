import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import { OpenCDCError } from '../errors/index.js'

/** Persists one JSON-serializable checkpoint document; the source decides what goes in it. */
export interface CheckpointStore<T = unknown> {
  load: () => Promise<T | undefined>
  save: (checkpoint: T) => Promise<void>
  clear: () => Promise<void>
}

/** Keeps the checkpoint in memory (a deep copy, so later mutation by the caller cannot leak in). */
export class MemoryCheckpointStore<T = unknown> implements CheckpointStore<T> {
  #value: string | undefined
  saves = 0

  async load (): Promise<T | undefined> {
    return this.#value === undefined ? undefined : JSON.parse(this.#value) as T
  }

  async save (checkpoint: T): Promise<void> {
    this.#value = JSON.stringify(checkpoint)
    this.saves++
  }

  async clear (): Promise<void> { this.#value = undefined }
}

/** A JSON file replaced atomically (write temp, fsync, rename) so a crash leaves the old or the new file, never half of one. */
export class FileCheckpointStore<T = unknown> implements CheckpointStore<T> {
  readonly file: string
  #chain: Promise<void> = Promise.resolve()

  constructor (file: string) { this.file = path.resolve(file) }

  async load (): Promise<T | undefined> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
    try {
      return JSON.parse(text) as T
    } catch (err) {
      throw new OpenCDCError('ERR_DDB_CHECKPOINT_CORRUPT', `checkpoint file ${this.file} is not valid JSON; remove it to start over`, { file: this.file }, { cause: err })
    }
  }

  save (checkpoint: T): Promise<void> {
    const text = JSON.stringify(checkpoint)
    // Saves are serialized so an older document can never overwrite a newer one.
    const next = this.#chain.then(async () => { await this.#write(text) })
    this.#chain = next.catch(() => {})
    return next
  }

  async #write (text: string): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    const fh = await open(tmp, 'w')
    try {
      await fh.writeFile(text)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, this.file)
  }

  async clear (): Promise<void> {
    await this.#chain
    await unlink(this.file).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') throw err })
  }
}
