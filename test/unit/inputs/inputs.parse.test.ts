import t from 'tap'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { decodeInputPosition } from '../../../src/inputs/position.js'
import { isPreciseNumber } from '../../../src/model/record.js'
import { afterItem, afterOf, itemFromJSON, parseAll, scanPagesItems } from '../../helpers/inputs.js'
import { diffItems } from '../../helpers/universe.js'

const dir = new URL('../../fixtures/inputs/', import.meta.url)
const scan = readFileSync(new URL('scan-two-pages.json', dir), 'utf8')
const exportLines = readFileSync(new URL('export-data.json', dir), 'utf8')

t.test('pretty-printed scan output with two pages concatenated becomes one snapshot record per item, types exact', async (t) => {
  const records = await parseAll(scan, { kind: 'aws-scan' })
  t.equal(records.length, 3)
  t.same(diffItems(scanPagesItems(scan), records.map(afterItem), 'id'), [])
  t.ok(records.every((r) => r.operation === 'snapshot' && r.key === null && r.payload.before === null))
  const total = afterOf(records[0]).total
  t.ok(isPreciseNumber(total), 'a 36-digit number is a PreciseNumber')
  t.equal((total as { value: string }).value, '3.14159265358979323846264338327950288')
})

t.test('each scan item is positioned by file, page and index', async (t) => {
  const records = await parseAll(scan, { kind: 'aws-scan', file: 'scan.json' })
  t.same(records.map((r) => decodeInputPosition(r.position)), [
    { file: 'scan.json', page: 0, index: 0 }, { file: 'scan.json', page: 0, index: 1 }, { file: 'scan.json', page: 1, index: 0 }])
})

t.test('scan output split into one-byte chunks parses the same (tokens and UTF-8 across chunk edges)', async (t) => {
  const bytes = Buffer.from(scan)
  const chunks = [...bytes].map((b) => Buffer.from([b]))
  const records = await parseAll(chunks, { kind: 'aws-scan' })
  t.same(diffItems(scanPagesItems(scan), records.map(afterItem), 'id'), [])
})

t.test('auto detects scan output, export lines, gzip and a JSON array', async (t) => {
  t.equal((await parseAll(scan)).length, 3)
  t.equal((await parseAll(exportLines)).length, 2)
  t.equal((await parseAll(gzipSync(exportLines))).length, 2)
  const array = await parseAll(readFileSync(new URL('opencdc-array.json', dir)))
  t.same(array.map((r) => r.operation), ['create', 'delete'])
})

t.test('export data lines (plain or gzip) become snapshot records positioned by line, numbers exact', async (t) => {
  for (const bytes of [Buffer.from(exportLines), gzipSync(exportLines)]) {
    const records = await parseAll(bytes, { kind: 'export', file: 'data/x.json.gz' })
    const expected = exportLines.trim().split('\n').map((l) => itemFromJSON((JSON.parse(l) as { Item: Record<string, unknown> }).Item))
    t.same(diffItems(expected, records.map(afterItem), 'id'), [])
    t.same(records.map((r) => decodeInputPosition(r.position)), [{ file: 'data/x.json.gz', line: 1 }, { file: 'data/x.json.gz', line: 2 }])
  }
})

t.test('startLine skips the lines up to it (a resume after line N)', async (t) => {
  const records = await parseAll(exportLines, { kind: 'export', startLine: 1 })
  t.same(records.map((r) => afterOf(r).id), ['b'])
})

t.test('a JSON array of OpenCDC records keeps every digit of a number literal', async (t) => {
  const [first] = await parseAll(readFileSync(new URL('opencdc-array.json', dir)), { kind: 'opencdc-array' })
  const n = afterOf(first).n
  t.ok(isPreciseNumber(n))
  t.equal((n as { value: string }).value, '3.14159265358979323846264338327950288')
  t.equal(first?.position.toString(), 'p1')
})

t.test('keyNames copies the key attributes into record.key; an item without one is named', async (t) => {
  const records = await parseAll(exportLines, { kind: 'export', keyNames: ['id'] })
  t.same(records.map((r) => r.key), [{ id: 'a' }, { id: 'b' }])
  await t.rejects(parseAll(exportLines, { kind: 'export', keyNames: ['sk'], file: 'f.json' }), { code: 'ERR_DDB_INVALID_INPUT', message: /f\.json line 1: the item has no key attribute "sk"/ })
})

t.test('empty input gives no records', async (t) => {
  t.same(await parseAll(''), [])
  t.same(await parseAll('  \n'), [])
})

t.test('an attribute named __proto__ in scan output or an array stays an own attribute', async (t) => {
  const [scanned] = await parseAll('{"Items":[{"id":{"S":"a"},"__proto__":{"M":{"__proto__":{"S":"x"}}}}]}', { kind: 'aws-scan' })
  t.same(Object.keys(afterOf(scanned)), ['id', '__proto__'])
  const [rec] = await parseAll('[{"operation":"create","payload":{"after":{"__proto__":1}}}]', { kind: 'opencdc-array' })
  t.same(Object.keys(afterOf(rec)), ['__proto__'])
})
