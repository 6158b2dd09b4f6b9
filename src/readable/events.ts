import { Readable, type ReadableOptions } from 'node:stream'
import type { OpenCDCError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'
import type { SnapshotProgress } from './snapshot/engine.js'
import type { StallRecovery, StallReport } from '../metrics/stall.js'

type Listener = (...args: any[]) => void

/** Events every record reader emits, with their payloads. */
export interface ReaderEvents {
  /** Something that did not stop the stream (a dead-lettered stream record). */
  warning: (warning: OpenCDCError) => void
  /** Nothing moved for stallTimeout while work was pending: what is stuck (once per stall). */
  stall: (report: StallReport) => void
  /** It moved again after a 'stall'. */
  recovered: (recovery: StallRecovery) => void
  error: (err: Error) => void
  end: () => void
  close: () => void
  readable: () => void
  pause: () => void
  resume: () => void
}

/** createSource's events: the reader's, plus 'progress' during the snapshot. */
export interface SourceEvents extends ReaderEvents {
  progress: (progress: SnapshotProgress) => void
}

/** One listener method: typed for the known events, Node's loose signature for any other. */
interface Subscribe<Events, This> {
  <E extends keyof Events & string> (event: E, listener: Events[E]): This
  (event: string | symbol, listener: Listener): This
}

/**
 * Type-only overlay (no runtime code): `for await` and read() give OpenCDCRecord, the events above typed
 * payloads; other events keep Node's signatures ('data' too: Node's own overload wins in the intersection).
 */
export interface TypedReader<Events extends ReaderEvents> {
  [Symbol.asyncIterator] (): NodeJS.AsyncIterator<OpenCDCRecord>
  read (size?: number): OpenCDCRecord | null
  on: Subscribe<Events, this>
  once: Subscribe<Events, this>
  off: Subscribe<Events, this>
  addListener: Subscribe<Events, this>
  prependListener: Subscribe<Events, this>
  removeListener: Subscribe<Events, this>
}

interface RecordReaderConstructor {
  new <Events extends ReaderEvents = ReaderEvents> (options?: ReadableOptions): TypedReader<Events> & Readable
}

/** Node's Readable, typed as a reader of OpenCDC records with the given events (the same class at run time). */
export const RecordReader = Readable as unknown as RecordReaderConstructor

/** Destroys a stream with an error (once): errors leave a reader only through destroy(err). */
export function failReader (stream: Readable, err: unknown): void {
  if (!stream.destroyed) stream.destroy(err instanceof Error ? err : new Error(String(err)))
}
