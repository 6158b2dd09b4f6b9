import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { OpenCDCError, isOpenCDCError } from '../errors/index.js'
import { describeRecord } from '../model/record.js'
import type { SendFailure } from './send.js'
import type { WriteOp } from './write-op.js'

const SHOWN = 20

function listed (ops: WriteOp[]): string {
  const shown = ops.slice(0, SHOWN).map((op) => describeRecord(op.record, op.index))
  return shown.join('; ') + (ops.length > SHOWN ? `; and ${ops.length - SHOWN} more` : '')
}

function summary (op: WriteOp, error?: Error): Record<string, unknown> {
  return { index: op.index, position: op.record.position instanceof Uint8Array ? Buffer.from(op.record.position).toString('utf8') : undefined, record: describeRecord(op.record, op.index), ...(error !== undefined ? { error: error.message } : {}) }
}

/** The error a destination fails with when records could not be written: every such record is named. */
export function writeFailedError (table: string, failures: SendFailure[], notAttempted: WriteOp[]): OpenCDCError {
  const failed = failures.flatMap((f) => f.entries.flatMap((e) => e.covers.map((op) => ({ op, error: f.error }))))
  failed.sort((a, b) => a.op.index - b.op.index)
  const first = failures[0]?.error
  const ops = failed.map((f) => f.op)
  let message = `${ops.length} record(s) not written to table "${table}": ${first?.message ?? 'unknown error'} — ${listed(ops)}`
  if (notAttempted.length > 0) message += `. Not attempted after that failure: ${notAttempted.length} record(s): ${listed(notAttempted)}`
  // When DynamoDB refused only the culprits, the stream fails with their code: the rule is theirs.
  const code = failures.every((f) => isOpenCDCError(f.error, 'ERR_DDB_ITEM_REJECTED')) ? 'ERR_DDB_ITEM_REJECTED' : 'ERR_DDB_WRITE_FAILED'
  return new OpenCDCError(code, message, {
    table,
    records: failed.map((f) => summary(f.op, f.error)),
    notAttempted: notAttempted.map((op) => summary(op))
  }, { cause: first })
}

function keyText (key: Record<string, AttributeValue>): string {
  const parts = Object.entries(key).map(([name, v]) => `${name}=${v.S !== undefined ? JSON.stringify(v.S) : v.N ?? (v.B !== undefined ? `<base64 ${Buffer.from(v.B).toString('base64')}>` : '?')}`)
  return `{${parts.join(', ')}}`
}

/** The error of one write DynamoDB refused on its own (found by splitting the batch): record, key and DynamoDB's rule. */
export function itemRejectedError (op: WriteOp, cause: Error): OpenCDCError {
  const key = keyText(op.key)
  return new OpenCDCError('ERR_DDB_ITEM_REJECTED', `${describeRecord(op.record, op.index)}: DynamoDB rejected the ${op.kind} of key ${key}: ${cause.message}`, {
    ...summary(op), key, rule: cause.message, awsError: cause.name
  }, { cause })
}
