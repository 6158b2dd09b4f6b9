import t from 'tap'
import { readFileSync } from 'node:fs'
import { afterOf, parseAll } from '../../helpers/inputs.js'

const dir = new URL('../../fixtures/inputs/', import.meta.url)
const scan = readFileSync(new URL('scan-two-pages.json', dir), 'utf8')

t.test('scan output given as another kind is named with the flag that reads it', async (t) => {
  await t.rejects(parseAll(scan, { kind: 'opencdc-jsonl', file: 'scan.json' }), { code: 'ERR_DDB_INPUT_KIND', message: 'scan.json is not OpenCDC JSON Lines: this looks like `aws dynamodb scan` (or `query`) output: use --input-format aws-scan' })
  await t.rejects(parseAll('{"Item":{"id":{"S":"a"}}}\n', { kind: 'aws-scan' }), { code: 'ERR_DDB_INPUT_KIND', message: /use --input-format export/ })
})

t.test('an input auto cannot place is read as OpenCDC JSON Lines, whose parser names the bad line', async (t) => {
  await t.rejects(parseAll('hello\n', { file: 'in.jsonl' }), { code: 'ERR_DDB_INVALID_JSON_LINE', message: /^in\.jsonl line 1(, column \d+)?: invalid JSON/ })
  await t.rejects(parseAll('{"hello":1}\n', { file: 'in.jsonl' }), { code: 'ERR_DDB_INVALID_JSON_LINE', message: /^in\.jsonl line 1: not an OpenCDC record: "operation" must be one of/ })
})

t.test('broken JSON in scan output names file, line and column', async (t) => {
  const broken = scan.replace('"S": "b"', '"S": "b",')
  const line = scan.split('\n').findIndex((l) => l.includes('"S": "b"')) + 1
  await t.rejects(parseAll(broken, { kind: 'aws-scan', file: 'scan.json' }), { code: 'ERR_DDB_INVALID_INPUT', message: new RegExp(`^scan\\.json line ${line + 1}, column \\d+: invalid JSON`), details: { line: line + 1 } })
})

t.test('truncated scan output is an error, not a short result', async (t) => {
  await t.rejects(parseAll(scan.slice(0, scan.length - 40), { kind: 'aws-scan' }), { code: 'ERR_DDB_INVALID_INPUT' })
})

t.test('a page whose Count disagrees with its items is named', async (t) => {
  await t.rejects(parseAll(scan.replace('"Count": 1,', '"Count": 2,'), { kind: 'aws-scan', file: 's.json' }), { code: 'ERR_DDB_INVALID_INPUT', message: 's.json page 2: the page says "Count": 2 but holds 1 items' })
})

t.test('a page without Items is named', async (t) => {
  await t.rejects(parseAll('{"Count": 0}', { kind: 'aws-scan' }), { message: /page 1: the page has no "Items" list/ })
})

t.test('a bad typed value names page, item and attribute path', async (t) => {
  const bad = scan.replace('"BOOL": false', '"BOOL": "no"')
  await t.rejects(parseAll(bad, { kind: 'aws-scan', file: 's.json' }), { code: 'ERR_DDB_INVALID_INPUT', message: /^s\.json page 1 item 1: DynamoDB JSON at item\.nested\.list\[2\] must be one typed value/ })
})

t.test('a number literal where DynamoDB JSON needs a string is refused when it would lose digits', async (t) => {
  await t.rejects(parseAll('{"Items":[{"id":{"S":"a"},"n":{"N":3.14159265358979323846264338327950288}}]}', { kind: 'aws-scan' }), { code: 'ERR_DDB_INVALID_INPUT', message: /item\.n must be one typed value/ })
})

t.test('bad export lines name file, line and rule', async (t) => {
  await t.rejects(parseAll('{"Item":{"id":{"S":"a"}}}\n{"Item":{"id":{"S":"a"}}\n', { kind: 'export', file: 'd.json' }), { message: /^d\.json line 2: invalid JSON/ })
  await t.rejects(parseAll('{"Item":{"id":{"S":"a"}},"x":1}\n', { kind: 'export', file: 'd.json' }), { message: 'd.json line 1: an export line must hold exactly one "Item", found "Item", "x"' })
  await t.rejects(parseAll('{"Keys":{"id":{"S":"a"}},"NewImage":{}}\n', { kind: 'export' }), { message: /incremental export line/ })
})

t.test('deadLetter receives each bad export line and parsing continues; its return value takes the line\'s place', async (t) => {
  const seen: unknown[] = []
  const records = await parseAll('{"Item":{"id":{"S":"a"}}}\nnot json\n{"Item":{"id":{"S":"c"}}}\n', {
    kind: 'export',
    deadLetter: (err, where) => { seen.push([err.code, where.line, where.text]); return undefined }
  })
  t.same(seen, [['ERR_DDB_INVALID_INPUT', 2, 'not json']])
  t.same(records.map((r) => afterOf(r).id), ['a', 'c'])
})

t.test('a second value after the JSON array is an error', async (t) => {
  await t.rejects(parseAll('[] []', { kind: 'opencdc-array' }), { message: /a single JSON array/ })
})

t.test('an array element that is not an OpenCDC record names its index', async (t) => {
  await t.rejects(parseAll('[{"operation":"create","payload":{"after":{}}},{"operation":"nope"}]', { kind: 'opencdc-array', file: 'a.json' }), { message: /^a\.json item 2: not an OpenCDC record: "operation" must be one of/ })
})

t.test('a file that is not gzip past its magic number is named', async (t) => {
  await t.rejects(parseAll(Buffer.from([0x1f, 0x8b, 1, 2, 3]), { file: 'x.json.gz' }), { code: 'ERR_DDB_INVALID_INPUT', message: /^x\.json\.gz: not valid gzip/ })
})
