import type { Duplex, Writable } from 'node:stream'
import asStream from 'stream-chain/asStream.js'
import gen from 'stream-chain/gen.js'
import fixUtf8Stream from 'stream-chain/utils/fixUtf8Stream.js'
import lines from 'stream-chain/utils/lines.js'
import { OpenCDCError } from '../errors.js'
import { createSource, type DynamoDBSource } from '../readable/source.js'
import { createDestination } from '../writable/destination.js'
import type { OpenCDCRecord } from '../record.js'

export type Source = DynamoDBSource

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
  return createSource(settings)
}

export async function openDestination (settings: Record<string, unknown>): Promise<Writable> {
  return createDestination(settings)
}

/** A record → one line (newline included) in the seed's sdk.record.format / sdk.record.format.options. */
export async function openSerializer (format: string, options: string): Promise<RecordSerializer> {
  const mod = await load('../transforms/format.js', 'record formats')
  return (mod.createSerializer as (n: string, o: string) => RecordSerializer)(format, options)
}

/** A line that did not parse, kept in the record stream at its place. */
export interface BadLineMark { [BAD_LINE]: { error: OpenCDCError, where: BadLine } }
export const BAD_LINE = Symbol('bad line')

export function isBadLine (x: unknown): x is BadLineMark {
  return typeof x === 'object' && x !== null && BAD_LINE in x
}

/**
 * OpenCDC JSON Lines bytes → records, with a bad line passed along in order as a BadLineMark (not an
 * error), so that the records before it can still be written before the command fails or dead-letters it.
 */
export async function openParser (options: { dynamodbJson?: boolean }): Promise<Duplex> {
  const mod = await load('../transforms/jsonl.js', 'the JSON Lines parser')
  type LineParser = (text: string) => unknown
  let bad: BadLineMark | undefined
  const parse = (mod.createLineParser as (o: unknown) => LineParser)({ ...options, deadLetter: (error: OpenCDCError, where: BadLine) => { bad = { [BAD_LINE]: { error, where } } } })
  const step = (text: string): unknown => {
    const out = parse(text)
    if (bad === undefined) return out
    const mark = bad
    bad = undefined
    return mark
  }
  return asStream(gen(fixUtf8Stream(), lines(), step), { writableObjectMode: false, readableObjectMode: true }) as unknown as Duplex
}
