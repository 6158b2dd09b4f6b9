import t from 'tap'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { format, parseFormatOptions } from '../../../src/transforms/index.js'
import { createRecord, type OpenCDCRecord } from '../../../src/model/record.js'

const recs = [
  createRecord({ position: 'a', operation: 'create', key: { id: 1 }, after: { id: 1 } }),
  createRecord({ position: 'b', operation: 'delete', key: { id: 2 }, before: { id: 2 } })
]

async function lines (stream: NodeJS.ReadWriteStream, input: OpenCDCRecord[] = recs): Promise<Array<string | Buffer>> {
  const out: Array<string | Buffer> = []
  await pipeline(Readable.from(input), stream, new Writable({ objectMode: true, write (c: string | Buffer, _e, cb) { out.push(c); cb() } }))
  return out
}

t.test('emits one newline-terminated chunk per record', async (t) => {
  const out = await lines(format('opencdc/json'))
  t.equal(out.length, 2)
  t.ok(out.every((l) => typeof l === 'string' && l.endsWith('}\n') && l.indexOf('\n') === l.length - 1))
})

t.test('takes sdk.record.format.options as comma-separated key=value pairs', async (t) => {
  const [line] = await lines(format('opencdc/json', 'position.excluded=true, opencdc.dynamodbJson=true'))
  t.match(String(line), /^\{"position":null,.*"key":\{"id":\{"N":"1"\}\}/)
  const [dbz] = await lines(format('debezium/json', 'debezium.schema.name=x.y,debezium.rawData.key=raw'))
  t.match(String(dbz), /"name":"x.y"/)
  t.same(parseFormatOptions('a=1,b=x=y,,c'), { a: '1', b: 'x=y', c: '' })
})

t.test('a template string is the whole options value, commas included', async (t) => {
  t.same(await lines(format('template', '{{ .Operation }},{{ .Key.id }}')), ['create,1\n', 'delete,2\n'])
})

t.test('a template function may return a string or a Buffer', async (t) => {
  t.same(await lines(format('template', { template: (r) => `${r.operation}\n` })), ['create\n', 'delete\n'])
  t.same(await lines(format('template', { template: (r) => Buffer.from(r.operation) })), [Buffer.from('create\n'), Buffer.from('delete\n')])
})

t.test('a record the template cannot render fails the stream naming the record', async (t) => {
  await t.rejects(lines(format('template', '{{ .Payload.After.id }}')), { code: 'ERR_DDB_INVALID_TEMPLATE', message: /cannot format record #1 position "b" key \{id=2\}: template: line 1: can't read .id: .Payload.After is null/ })
  await t.rejects(lines(format('template', { template: () => { throw new Error('boom') } })), { code: 'ERR_DDB_FORMAT', message: /record #0 .*: boom/ })
})

t.test('rejects unknown formats, unknown options and a template without text', async (t) => {
  t.throws(() => format('avro/json'), { code: 'ERR_DDB_INVALID_OPTION', message: /expected one of opencdc\/json, debezium\/json, template/ })
  t.throws(() => format('opencdc/json', 'position.exclude=true'), { code: 'ERR_DDB_UNKNOWN_OPTION', message: /did you mean "position.excluded"/ })
  t.throws(() => format('template'), { code: 'ERR_DDB_MISSING_OPTION' })
  t.throws(() => format('opencdc/json', 'position.excluded=maybe'), { code: 'ERR_DDB_INVALID_OPTION' })
})

t.test('respects a slow consumer and works with for await', async (t) => {
  const f = format('opencdc/json', undefined, { highWaterMark: 2 })
  const many = Array.from({ length: 50 }, (_, i) => createRecord({ position: String(i), operation: 'create', key: { i } }))
  Readable.from(many).pipe(f)
  let n = 0
  let maxBuffered = 0
  for await (const _line of f) {
    if (n++ % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    maxBuffered = Math.max(maxBuffered, f.readableLength)
  }
  t.equal(n, 50)
  t.ok(maxBuffered <= 2, `never buffers past highWaterMark (max ${maxBuffered})`)
})

t.test('destroy with an error rejects the pipeline with that error', async (t) => {
  const f = format('opencdc/json')
  const endless = Readable.from((function * () { for (let i = 0; ; i++) yield createRecord({ position: String(i), operation: 'create' }) })())
  const done = pipeline(endless, f, new Writable({ objectMode: true, write (_c, _e, cb) { setImmediate(cb) } }))
  setTimeout(() => f.destroy(new Error('stop now')), 20)
  await t.rejects(done, { message: 'stop now' })
  t.ok(endless.destroyed, 'the source was torn down too')
})

t.test('a chunk that is not a record fails the stream naming its index', async (t) => {
  await t.rejects(lines(format('opencdc/json'), [recs[0] as OpenCDCRecord, 'oops' as never]), { code: 'ERR_DDB_INVALID_RECORD', message: /chunk #1 is not an OpenCDC record/ })
})
