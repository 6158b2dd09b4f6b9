import { isOpenCDCError, OpenCDCError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'
import { warnOn } from '../readable/cdc/warn.js'
import { fromLambdaRecord } from './convert.js'
import type { LambdaContextLike, LambdaStreamEvent, LambdaStreamRecord, StreamBatchResponse } from './event.js'
import { isDuplexLike, resolveStreamHandlerOptions, type StreamHandlerInput, type StreamHandlerOptions, type StreamHandlerTransform } from './options.js'
import { throughDuplex } from './through.js'
import { batchResponse, firstNotDone, msUntilAbort, nearDeadline } from './report.js'
import { deadlineError, DestinationHolder, type InvocationWriter } from './writers.js'

/** The Lambda function: assignable to @types/aws-lambda's DynamoDBStreamHandler. */
export type StreamHandler = ((event: LambdaStreamEvent, context?: LambdaContextLike) => Promise<StreamBatchResponse>) & {
  /** Destroys the destination the handler created, if any (tests, SIGTERM hooks). */
  close: () => void
}

// A Transform stage may turn records into other chunks (a serializer's lines): those go on as they are.
async function applyTransforms (steps: readonly StreamHandlerTransform[], record: OpenCDCRecord): Promise<OpenCDCRecord[]> {
  let records: unknown[] = [record]
  for (const step of steps) {
    const next: unknown[] = []
    for (const r of records) {
      if (isDuplexLike(step)) { next.push(...await throughDuplex(step, r)); continue }
      const out = await step(r as OpenCDCRecord)
      if (Array.isArray(out)) next.push(...out)
      else if (out !== null && out !== undefined) next.push(out)
    }
    records = next
  }
  return records as OpenCDCRecord[]
}

function recordsOf (event: unknown): LambdaStreamRecord[] {
  const records = (event as LambdaStreamEvent | null | undefined)?.Records
  if (!Array.isArray(records)) {
    throw new OpenCDCError('ERR_DDB_INVALID_STREAM_RECORD', 'the Lambda event has no Records array: not a DynamoDB Streams event ({ Records: [...] })', {})
  }
  return records
}

interface Stop { index: number, error: Error }

// Converts, transforms and writes records in order until one fails, the destination fails, or the deadline nears.
async function take (opts: StreamHandlerOptions, records: LambdaStreamRecord[], writer: InvocationWriter, context: LambdaContextLike | undefined): Promise<Stop | undefined> {
  const readAt = Date.now()
  for (let i = 0; i < records.length; i++) {
    if (writer.failedAt !== undefined) return undefined
    if (nearDeadline(context, opts.deadlineMarginMs)) return { index: i, error: deadlineError() }
    const raw = records[i] as LambdaStreamRecord
    let record: OpenCDCRecord | undefined
    try {
      record = fromLambdaRecord(raw, readAt, opts.change)
    } catch (err) {
      if (opts.onInvalidRecord !== 'dead-letter' || !isOpenCDCError(err, 'ERR_DDB_INVALID_STREAM_RECORD')) return { index: i, error: err as Error }
      try {
        await opts.deadLetter?.(raw, err)
      } catch (cause) {
        return { index: i, error: new OpenCDCError('ERR_DDB_DEAD_LETTER', `the dead letter for an undecodable record failed (${(cause as Error)?.message ?? String(cause)}); not moving past it: ${err.message}`, err.details, { cause }) }
      }
      warnOn(undefined, err)
      continue
    }
    // Out of the filter: done, like a record the transforms drop.
    if (record === undefined) continue
    let outs: OpenCDCRecord[]
    try {
      outs = await applyTransforms(opts.transforms, record)
    } catch (err) {
      return { index: i, error: err as Error }
    }
    for (const out of outs) await writer.write(out, i)
  }
  return undefined
}

/**
 * An async Lambda handler for a DynamoDB Streams event source mapping: each record → OpenCDC (the CDC
 * reader's mapping) → transforms → destination. It returns only once the writes are durable, naming the
 * first record that is not (docs/lambda.md).
 */
export function createStreamHandler (input: StreamHandlerInput): StreamHandler {
  const opts = resolveStreamHandlerOptions(input)
  const destination = new DestinationHolder(opts.destination)
  // A failing Transform stage fails its record through throughDuplex; an unheard 'error' event would crash the container.
  for (const step of opts.transforms) if (isDuplexLike(step)) step.on('error', () => {})
  const handler = async (event: LambdaStreamEvent, context?: LambdaContextLike): Promise<StreamBatchResponse> => {
    const records = recordsOf(event)
    if (records.length === 0) return { batchItemFailures: [] }
    const writer = destination.open()
    const stop = await take(opts, records, writer, context)
    // Always settle, also after a stop: records before it are written and must be durable before the answer.
    const settled = await writer.settle(msUntilAbort(context, opts.deadlineMarginMs))
    const first = firstNotDone(records.length, stop?.index, settled.firstNotDone)
    const error = first === settled.firstNotDone ? settled.error : stop?.error
    // A reported failure is not an exception Lambda would log: say why, once per invocation (CloudWatch gets stderr).
    if (error !== undefined && opts.reportBatchItemFailures) process.emitWarning(`records from ${first + 1} of ${records.length} not written, reported for retry: ${error.message}`, { type: 'OpenCDCWarning', code: (error as { code?: string }).code ?? 'ERR_DDB_LAMBDA_BATCH_FAILED' })
    return batchResponse(records, { firstNotDone: first, ...(error !== undefined ? { error } : {}) }, opts.reportBatchItemFailures)
  }
  return Object.assign(handler, { close: () => { destination.close() } })
}
