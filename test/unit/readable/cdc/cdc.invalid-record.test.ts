// onInvalidRecord on a scripted stream (test/helpers/fake-streams.ts): DynamoDB Local cannot produce a
// record with an undecodable value, so the GetRecords answers are faked; everything after them is real.
import t from 'tap'
import type { _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import { fakeStreams, readerOptions } from '../../../helpers/fake-streams.js'
import { ChangeReader, type ChangeReaderOptions } from '../../../../src/readable/cdc/change-reader.js'
import type { ShardProgress } from '../../../../src/readable/cdc/shard-tree.js'
import { resolveChangeStreamOptions } from '../../../../src/readable/cdc/settings.js'
import { resolveSourceOptions } from '../../../../src/readable/options.js'
import { EventEmitter } from 'node:events'
import { OpenCDCError as OpenCDCErrorClass, type OpenCDCError } from '../../../../src/errors/index.js'
import { warnOn } from '../../../../src/readable/cdc/warn.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'

const POISON = 3
const poisoned = (): ReturnType<typeof fakeStreams> => fakeStreams([{ id: 's', seqs: [1, 2, 3, 4, 5, 6], closed: false }], {
  newImage: (id, seq) => seq === POISON ? { id: { S: `${id}/${seq}` }, m: { M: { l: { L: [{ S: 'ok' }, { X: 1 }] } } } } : { id: { S: `${id}/${seq}` } }
})

interface Run { reader: ChangeReader, records: OpenCDCRecord[], errors: Error[], warnings: OpenCDCError[] }

async function start (extra: Partial<ChangeReaderOptions>, progress?: Record<string, ShardProgress>): Promise<Run> {
  const records: OpenCDCRecord[] = []
  const errors: Error[] = []
  const warnings: OpenCDCError[] = []
  const reader = new ChangeReader(readerOptions(poisoned(), { ...extra, ...(progress !== undefined ? { progress } : {}) }), {
    push: (r) => { records.push(r); return true },
    progress: () => {},
    error: (e) => { errors.push(e) },
    warn: (e) => { warnings.push(e) }
  })
  await reader.anchor()
  reader.startEmitting()
  return { reader, records, errors, warnings }
}

async function until (done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5))
}

const ids = (records: OpenCDCRecord[]): string[] => records.map((r) => (r.key as { id: string }).id)
const NAMED = /stream record sequence number 3 of shard s \(table tbl, key \{"id":"s\/3"\}, event e3\): NewImage attribute \$\.m\.l\[1\] has no known DynamoDB type: \{"X":1\}/

t.test("'fail' (the default) stops at the poisoned record with an error naming it; the checkpoint stays before it", async (t) => {
  const run = await start({})
  await until(() => run.errors.length > 0)
  t.equal(run.errors.length, 1)
  t.match(run.errors[0], { code: 'ERR_DDB_INVALID_STREAM_RECORD', message: NAMED, details: { table: 'tbl', shardId: 's', sequenceNumber: '3', key: '{"id":"s/3"}', path: '$.m.l[1]' } })
  t.same(ids(run.records), ['s/1', 's/2'], 'the records before it were delivered, nothing after it')
  for (const r of run.records) run.reader.ack(r)
  t.same(run.reader.checkpoint().shards, { s: { after: '2' } }, 'the checkpoint is before the poisoned record')
  await run.reader.close()

  const again = await start({}, { s: { after: '2' } })
  await until(() => again.errors.length > 0)
  t.match(again.errors[0], { code: 'ERR_DDB_INVALID_STREAM_RECORD', message: NAMED }, 'a restart fails again on the same record')
  t.same(ids(again.records), [], 'and skips nothing silently')
  await again.reader.close()
})

t.test("'dead-letter' hands the raw record over once, delivers every other record and moves the checkpoint past it only after the handler resolved", async (t) => {
  const calls: Array<{ record: StreamEvent, error: OpenCDCError }> = []
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  const run = await start({ onInvalidRecord: 'dead-letter', deadLetter: async (record, error) => { calls.push({ record, error }); await gate } })
  await until(() => calls.length > 0)
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.same(ids(run.records), ['s/1', 's/2'], 'nothing after the record is pushed while the dead letter is pending')
  for (const r of run.records) run.reader.ack(r)
  t.same(run.reader.checkpoint().shards, { s: { after: '2' } }, 'nor does the checkpoint pass it')
  t.same(run.warnings, [], 'the warning comes once the record is dead-lettered')
  release()
  await until(() => run.records.length >= 5)
  t.same(ids(run.records), ['s/1', 's/2', 's/4', 's/5', 's/6'])
  t.equal(calls.length, 1, 'called once')
  t.equal(calls[0]?.record.dynamodb?.SequenceNumber, '3')
  t.same(calls[0]?.record.dynamodb?.NewImage, { id: { S: 's/3' }, m: { M: { l: { L: [{ S: 'ok' }, { X: 1 }] } } } }, 'the record as GetRecords returned it')
  t.match(calls[0]?.error, { code: 'ERR_DDB_INVALID_STREAM_RECORD', message: NAMED })
  t.equal(run.warnings.length, 1)
  t.match(run.warnings[0], { message: NAMED })
  for (const r of run.records.slice(2)) run.reader.ack(r)
  t.same(run.reader.checkpoint().shards, { s: { after: '6' } }, 'the checkpoint moved past the dead-lettered record')
  t.same(run.errors, [])
  await run.reader.close()
})

t.test("'dead-letter' with a handler that fails stops the reader with that cause and keeps the record unread", async (t) => {
  const run = await start({ onInvalidRecord: 'dead-letter', deadLetter: () => { throw new Error('disk full') } })
  await until(() => run.errors.length > 0)
  t.match(run.errors[0], { code: 'ERR_DDB_DEAD_LETTER', message: /disk full.*sequence number 3/, cause: { message: 'disk full' } })
  for (const r of run.records) run.reader.ack(r)
  t.same(run.reader.checkpoint().shards, { s: { after: '2' } })
  t.same(run.warnings, [])
  await run.reader.close()
})

t.test('onInvalidRecord is an option of both createChangeStream and createSource, as cdc.onInvalidRecord too, and dead-letter needs a handler', async (t) => {
  t.equal(resolveChangeStreamOptions({ table: 'tbl' }).onInvalidRecord, 'fail')
  t.equal(resolveSourceOptions({ table: 'tbl' }).onInvalidRecord, 'fail')
  const deadLetter = (): void => {}
  t.equal(resolveChangeStreamOptions({ table: 'tbl', 'cdc.onInvalidRecord': 'dead-letter', deadLetter }).onInvalidRecord, 'dead-letter')
  t.equal(resolveSourceOptions({ table: 'tbl', onInvalidRecord: 'dead-letter', deadLetter }).deadLetter, deadLetter)
  t.throws(() => resolveChangeStreamOptions({ table: 'tbl', onInvalidRecord: 'dead-letter' }), { code: 'ERR_DDB_MISSING_OPTION', message: /deadLetter/ })
  t.throws(() => resolveSourceOptions({ table: 'tbl', 'cdc.onInvalidRecord': 'dead-letter' }), { code: 'ERR_DDB_MISSING_OPTION' })
  t.throws(() => resolveSourceOptions({ table: 'tbl', onInvalidRecord: 'skip' }), { code: 'ERR_DDB_INVALID_OPTION' })
})

t.test("a dead-lettered record is announced as the stream's 'warning' event, or as a process warning when nobody listens", async (t) => {
  const err = new OpenCDCErrorClass('ERR_DDB_INVALID_STREAM_RECORD', 'record 3 is bad')
  const stream = new EventEmitter()
  const heard: unknown[] = []
  stream.on('warning', (e) => heard.push(e))
  const onProcess = (w: Error): void => { heard.push(`process:${w.name}:${w.message}`) }
  process.on('warning', onProcess)
  t.teardown(() => { process.off('warning', onProcess) })
  warnOn(stream, err)
  warnOn(new EventEmitter(), err)
  await new Promise((resolve) => setImmediate(resolve)) // process warnings are emitted on the next tick
  t.same(heard, [err, 'process:OpenCDCWarning:record 3 is bad'])
})
