import type { Duplex, Readable, Writable } from 'node:stream'
import { OpenCDCError } from '../errors.js'
import type { OpenCDCRecord } from '../record.js'

/** What the CLI needs of the DynamoDB source (src/readable). */
export interface Source extends Readable {
  ack: (record: OpenCDCRecord) => void
}

export type RecordSerializer = (record: OpenCDCRecord) => string | Buffer

export interface BadLine { line: number, text: string }

// Thin seams over the library modules, so each command reads the same whatever their internals.
async function load (path: string, what: string): Promise<Record<string, unknown>> {
  try {
    return await import(path) as Record<string, unknown>
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new OpenCDCError('ERR_DDB_NOT_AVAILABLE', `${what} is not part of this build yet`, undefined, { cause: err })
    }
    throw err
  }
}

export async function openSource (settings: Record<string, unknown>): Promise<Source> {
  const mod = await load('../readable/source.js', 'the DynamoDB source')
  return (mod.createSource as (o: Record<string, unknown>) => Source)(settings)
}

export async function openDestination (settings: Record<string, unknown>): Promise<Writable> {
  const mod = await load('../writable/destination.js', 'the DynamoDB destination')
  return (mod.createDestination as (o: Record<string, unknown>) => Writable)(settings)
}

/** A record → one line (newline included) in the seed's sdk.record.format / sdk.record.format.options. */
export async function openSerializer (format: string, options: string): Promise<RecordSerializer> {
  const mod = await load('../transforms/format.js', 'record formats')
  return (mod.createSerializer as (n: string, o: string) => RecordSerializer)(format, options)
}

/** OpenCDC JSON Lines bytes → records; bad lines go to deadLetter when given, else fail naming the line. */
export async function openParser (options: { dynamodbJson?: boolean, deadLetter?: (err: OpenCDCError, where: BadLine) => void }): Promise<Duplex> {
  const mod = await load('../transforms/jsonl.js', 'the JSON Lines parser')
  return (mod.parseJSONL as (o: unknown) => Duplex)(options)
}
