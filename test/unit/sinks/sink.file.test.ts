import t from 'tap'
import { open, readFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { ackOnWrite } from '../../../src/readable/ack.js'
import { createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { createFileSink } from '../../../src/sinks/file.js'

const records = (n: number): OpenCDCRecord[] => Array.from({ length: n }, (_, i) => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { id: `k${i}`, n: i } }))

t.test('every record is acknowledged only after an fsync that covers its line', async (t) => {
  const dir = t.testdir({})
  const file = path.join(dir, 'out.jsonl')
  // Watch the real FileHandle's fsync: each ack must follow a sync that came after the record's line was written.
  const probe = await open(file, 'a')
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> }
  await probe.close()
  const events: string[] = []
  const realSync = proto.sync
  proto.sync = async function (this: unknown) { await realSync.call(this); events.push('sync') }
  t.teardown(() => { proto.sync = realSync })
  const acked: string[] = []
  const source = { ack: (p: Uint8Array | OpenCDCRecord) => { events.push('ack'); acked.push(Buffer.from(p as Uint8Array).toString()) } }
  await pipeline(Readable.from(records(300)), ackOnWrite(source, createFileSink(file)))
  t.equal(acked.length, 300, 'every record acknowledged')
  t.ok(events[0] === 'sync' && !events.slice(0, events.indexOf('ack')).includes('ack'), 'the first ack comes after a sync')
  let synced = false
  for (const e of events) {
    if (e === 'sync') synced = true
    else t.ok(synced, 'an ack follows a sync')
  }
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { key: { id: string }, payload: { after: { n: number } } })
  t.same(lines.map((l) => [l.key.id, l.payload.after.n]), records(300).map((_, i) => [`k${i}`, i]), 'every line, in order')
})

t.test('a file that cannot be opened fails the pipeline and acknowledges nothing', async (t) => {
  const dir = t.testdir({})
  const acked: unknown[] = []
  const sink = createFileSink(path.join(dir, 'no-such-dir', 'x.jsonl'))
  await t.rejects(pipeline(Readable.from(records(3)), ackOnWrite({ ack: (p: Uint8Array | OpenCDCRecord) => { acked.push(p) } }, sink)), { code: 'ENOENT' })
  t.same(acked, [])
})

t.test('flags w truncates, the default appends', async (t) => {
  const dir = t.testdir({ 'f.jsonl': 'old\n' })
  const file = path.join(dir, 'f.jsonl')
  await pipeline(Readable.from(records(1)), createFileSink(file))
  t.match(await readFile(file, 'utf8'), /^old\n\{/)
  await pipeline(Readable.from(records(1)), createFileSink(file, { flags: 'w' }))
  t.match(await readFile(file, 'utf8'), /^\{[^\n]*\n$/)
})
