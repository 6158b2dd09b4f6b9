import type { Duplex, Writable } from 'node:stream'
import { resolveOptions, type OptionSpec } from '../options/options.js'
import { OpenCDCError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'
import { resolveDestinationOptions, type DestinationInput } from '../writable/options.js'
import type { LambdaStreamRecord } from './event.js'
import type { ChangeFilter } from '../filter/change.js'
import { compileSourceFilter, FILTER_SPECS, type FilterOptions } from '../readable/filter.js'

/** A transform step: a record in, zero (null, undefined, []), one or several records out; may return a promise. */
export type RecordTransform = (record: OpenCDCRecord) => OpenCDCRecord | OpenCDCRecord[] | null | undefined | Promise<OpenCDCRecord | OpenCDCRecord[] | null | undefined>

/** An async sink: resolves once every record is durably written; rejects if any is not. Should honour the signal (aborted at the deadline). */
export type RecordSink = (records: OpenCDCRecord[], options: { signal: AbortSignal }) => Promise<void> | void

/** Receives a Lambda record that could not be decoded, as Lambda delivered it, and why; may return a promise. */
export type LambdaDeadLetterHandler = (record: LambdaStreamRecord, error: OpenCDCError) => unknown

/** A step of `transforms`: a function, or a Node Transform (Duplex) kept across invocations, e.g. format()'s serializer. */
export type StreamHandlerTransform = RecordTransform | Duplex

export interface StreamHandlerInput extends FilterOptions {
  /** createDestination options (one destination per container, reused), any object-mode Writable, or an async sink. */
  destination: DestinationInput | Writable | RecordSink
  transforms?: StreamHandlerTransform[]
  reportBatchItemFailures?: boolean | string
  deadlineMarginMs?: number | string
  onInvalidRecord?: 'fail' | 'dead-letter'
  deadLetter?: LambdaDeadLetterHandler
}

export type StreamHandlerDestination =
  | { kind: 'options', options: DestinationInput }
  | { kind: 'writable', writable: Writable }
  | { kind: 'sink', sink: RecordSink }

export interface StreamHandlerOptions {
  destination: StreamHandlerDestination
  transforms: StreamHandlerTransform[]
  /** filter / projection / itemFilter, compiled: applied to each record's images before conversion. */
  change?: ChangeFilter
  reportBatchItemFailures: boolean
  deadlineMarginMs: number
  onInvalidRecord: 'fail' | 'dead-letter'
  deadLetter?: LambdaDeadLetterHandler
}

export const STREAM_HANDLER_SPECS: readonly OptionSpec[] = [
  { name: 'destination', kind: 'object', required: true, doc: 'createDestination options (the handler creates the destination once per container and reuses it), any object-mode Writable, or an async function (records, { signal }) that resolves once they are durable.' },
  { name: 'transforms', kind: 'object', doc: 'Steps applied in order to each record: functions (record) => record | record[] | null (may return a promise), or Node Transform streams (each record written in, what it pushes before its callback goes on; kept across invocations).' },
  { name: 'reportBatchItemFailures', kind: 'bool', default: true, doc: 'Return { batchItemFailures } naming the first record not written (the mapping needs FunctionResponseTypes: [ReportBatchItemFailures]); false: throw, so Lambda retries the whole batch.' },
  { name: 'deadlineMarginMs', kind: 'duration', min: 0, default: 5000, doc: 'Stop taking records when the invocation has less than this left (context.getRemainingTimeInMillis()) and report the rest; at half of it, abort writes still in flight.' },
  { name: 'onInvalidRecord', kind: 'enum', values: ['fail', 'dead-letter'], default: 'fail', doc: 'A record that cannot be decoded: fail it (and everything after it) with ERR_DDB_INVALID_STREAM_RECORD, or pass it to deadLetter and count it as done.' },
  { name: 'deadLetter', kind: 'function', doc: 'With onInvalidRecord: dead-letter, called as deadLetter(lambdaRecord, error); the record counts as done only once it returned (or its promise resolved).' },
  ...FILTER_SPECS
]

function isWritableLike (v: unknown): v is Writable {
  return typeof v === 'object' && v !== null && typeof (v as Writable).write === 'function' && typeof (v as Writable).once === 'function'
}

/** A Duplex: writable and readable (read()), as a stream Transform is. */
export function isDuplexLike (v: unknown): v is Duplex {
  return isWritableLike(v) && typeof (v as Duplex).read === 'function'
}

const LABEL = 'createStreamHandler'

/** Validates createStreamHandler's options (coded errors naming the option); never mutates the caller's object. */
export function resolveStreamHandlerOptions (input: StreamHandlerInput | undefined): StreamHandlerOptions {
  const { destination, transforms, ...rest } = (input ?? {}) as StreamHandlerInput
  const opts = resolveOptions<Omit<StreamHandlerOptions, 'destination' | 'transforms'> & FilterOptions>(STREAM_HANDLER_SPECS, { ...rest, destination: typeof destination === 'function' ? {} : destination }, LABEL)
  let dest: StreamHandlerDestination
  if (typeof destination === 'function') dest = { kind: 'sink', sink: destination }
  else if (isWritableLike(destination)) dest = { kind: 'writable', writable: destination }
  else {
    resolveDestinationOptions(destination) // its errors now, not at the first invocation
    dest = { kind: 'options', options: { ...destination } }
  }
  if (transforms !== undefined && (!Array.isArray(transforms) || transforms.some((f) => typeof f !== 'function' && !isDuplexLike(f)))) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `${LABEL}: transforms: expected an array of functions (record) => record | record[] | null, or Transform streams`, { option: 'transforms' })
  }
  if (opts.onInvalidRecord === 'dead-letter' && opts.deadLetter === undefined) {
    throw new OpenCDCError('ERR_DDB_MISSING_OPTION', `${LABEL}: onInvalidRecord "dead-letter" needs a deadLetter(lambdaRecord, error) function`, { option: 'deadLetter' })
  }
  const { filter, projection, expressionAttributeNames, expressionAttributeValues, itemFilter: fn, ...handler } = opts
  const change = compileSourceFilter({ filter, projection, expressionAttributeNames, expressionAttributeValues, itemFilter: fn })?.change
  return { ...handler, destination: dest, transforms: [...(transforms ?? [])], ...(change !== undefined ? { change } : {}) }
}
