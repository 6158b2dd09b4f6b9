import type { Duplex, Writable } from 'node:stream'
import asStream from 'stream-chain/asStream.js'
import gen from 'stream-chain/gen.js'
import fixUtf8Stream from 'stream-chain/utils/fixUtf8Stream.js'
import lines from 'stream-chain/utils/lines.js'
import { OpenCDCError } from '../../errors/index.js'
import { assertLoopbackListening } from './endpoint-probe.js'
import { createSource, type DynamoDBSource } from '../../readable/source.js'
import type { TablesSource } from '../../readable/tables/source.js'
import { createDestination } from '../../writable/destination.js'
import type { SourceInput } from '../../readable/options.js'
import type { TablesSourceInput } from '../../readable/tables/options.js'
import type { DestinationInput } from '../../writable/options.js'
import { createSerializer, type RecordSerializer } from '../../transforms/format.js'
import { createLineParser, type BadLine } from '../../transforms/jsonl.js'

export { readOptionsOf } from '../../transforms/jsonl.js'

export type Source = DynamoDBSource | TablesSource

export type { BadLine, RecordSerializer }

export async function openSource (settings: Record<string, unknown>): Promise<Source> {
  await assertLoopbackListening(settings)
  // The CLI's settings come from flags and files: the resolver checks them at run time.
  return settings.tables !== undefined ? createSource(settings as unknown as TablesSourceInput) : createSource(settings as unknown as SourceInput)
}

export async function openDestination (settings: Record<string, unknown>): Promise<Writable> {
  await assertLoopbackListening(settings)
  return createDestination(settings as unknown as DestinationInput)
}

/** A record → one line (newline included) in the seed's sdk.record.format / sdk.record.format.options. */
export async function openSerializer (format: string, options: string): Promise<RecordSerializer> {
  return createSerializer(format, options)
}

/** A line that did not parse, kept in the record stream at its place. */
export const BAD_LINE = Symbol('bad line')
export interface BadLineMark { [BAD_LINE]: { error: OpenCDCError, where: BadLine } }

export function isBadLine (x: unknown): x is BadLineMark {
  return typeof x === 'object' && x !== null && BAD_LINE in x
}

/**
 * OpenCDC JSON Lines bytes → records, with a bad line passed along in order as a BadLineMark (not an
 * error), so that the records before it can still be written before the command fails or dead-letters it.
 */
export async function openParser (options: { dynamodbJson?: boolean, typeHints?: boolean }): Promise<Duplex> {
  let bad: BadLineMark | undefined
  const parse = createLineParser({ ...options, deadLetter: (error: OpenCDCError, where: BadLine) => { bad = { [BAD_LINE]: { error, where } } } })
  const step = (text: string): unknown => {
    const out = parse(text)
    if (bad === undefined) return out
    const mark = bad
    bad = undefined
    return mark
  }
  return asStream(gen(fixUtf8Stream(), lines(), step), { writableObjectMode: false, readableObjectMode: true }) as unknown as Duplex
}
