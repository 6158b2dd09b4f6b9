import t from 'tap'
import { Readable } from 'node:stream'
import { parseJSONL, type BadLine } from '../../../src/transforms/jsonl.js'
import { isOpenCDCError, type OpenCDCError } from '../../../src/errors/index.js'

const good = '{"operation":"create","payload":{"after":{"id":1}}}'

async function run (text: string, options = {}): Promise<{ records: unknown[], error?: OpenCDCError }> {
  const records: unknown[] = []
  try {
    for await (const r of Readable.from([text]).pipe(parseJSONL(options))) records.push(r)
  } catch (err) {
    return { records, error: err as OpenCDCError }
  }
  return { records }
}

t.test('fails with the line number and column of invalid JSON', async (t) => {
  const { error } = await run(`${good}\n${good}\n{"operation":"create",}\n${good}\n`)
  t.ok(isOpenCDCError(error, 'ERR_DDB_INVALID_JSON_LINE'))
  t.match(error?.message, /^line 3, column \d+: invalid JSON/)
  t.equal(error?.details?.line, 3)
  t.type(error?.details?.column, 'number')
})

t.test('counts blank lines when numbering', async (t) => {
  const { error } = await run(`${good}\n\n\nnot json\n`)
  t.equal(error?.details?.line, 4)
})

t.test('names the rule a well-formed but invalid record breaks', async (t) => {
  const { error } = await run(`${good}\n{"operation":"upsert"}\n`)
  t.match(error?.message, /^line 2: not an OpenCDC record: "operation" must be one of create, update, delete, snapshot, got "upsert"/)
  const bad64 = await run('{"operation":"create","key":"not base64!"}\n')
  t.match(bad64.error?.message, /line 1: .*"key" must be standard base64/)
  const badMeta = await run('{"operation":"create","metadata":{"n":1}}\n')
  t.match(badMeta.error?.message, /line 1: .*"metadata.n" must be a string/)
})

t.test('hands malformed lines to the dead-letter callback and keeps going', async (t) => {
  const dead: Array<{ error: OpenCDCError, where: BadLine }> = []
  const { records, error } = await run(`${good}\n{oops\n${good}\n[1,2]\n${good}`, { deadLetter: (e: OpenCDCError, where: BadLine) => dead.push({ error: e, where }) })
  t.equal(error, undefined)
  t.equal(records.length, 3)
  t.same(dead.map((d) => d.where), [{ line: 2, text: '{oops' }, { line: 4, text: '[1,2]' }])
  t.ok(dead.every((d) => isOpenCDCError(d.error, 'ERR_DDB_INVALID_JSON_LINE')))
})

t.test('a throwing dead-letter callback fails the stream with its error', async (t) => {
  const { error } = await run(`{oops\n${good}\n`, { deadLetter: () => { throw new Error('stop here') } })
  t.equal(error?.message, 'stop here')
})

t.test('rejects bad parser options by name', async (t) => {
  t.throws(() => parseJSONL({ deadLetter: 'log' as never }), { code: 'ERR_DDB_INVALID_OPTION', message: /deadLetter: expected a function/ })
  t.throws(() => parseJSONL({ deadleter: () => {} } as never), { code: 'ERR_DDB_UNKNOWN_OPTION', message: /did you mean "deadLetter"/ })
})
