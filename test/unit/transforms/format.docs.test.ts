import t from 'tap'
import { readFileSync } from 'node:fs'
import { parseJSONLossless } from '../../../src/model/json-value.js'
import { recordFromJSON, serializeOpenCDC, compileTemplate } from '../../../src/transforms/index.js'
import { createRecord } from '../../../src/model/record.js'
import { decodeNumber } from '../../../src/model/codec.js'

const doc = readFileSync(new URL('../../../docs/transforms.md', import.meta.url), 'utf8')

t.test('the opencdc/json example in docs/transforms.md reads back and re-serializes to the same bytes', async (t) => {
  const line = /```json\n(\{"position".*\})\n```/.exec(doc)?.[1]
  t.ok(line, 'the example is there')
  t.equal(serializeOpenCDC(recordFromJSON(parseJSONLossless(line as string))), line)
})

t.test('the typed DynamoDB JSON example in docs/transforms.md is what dynamodbJson writes', async (t) => {
  const shown = /`(\{"id":\{"S":"a"\}.*?\})`/.exec(doc)?.[1]
  const rec = createRecord({ position: 'p', operation: 'create', after: { id: 'a', tags: new Set(['x']), blob: Uint8Array.of(1, 2), n: decodeNumber('12345678901234567890123456789012345678'), gone: null } })
  const after = /"after":(\{.*\})\}\}$/.exec(serializeOpenCDC(rec, { dynamodbJson: true }))?.[1]
  t.same(JSON.parse(after as string), JSON.parse(shown as string))
})

t.test('the template error named in docs/transforms.md is the one raised', async (t) => {
  t.match(doc, /missing key "x" in \.Payload\.After \(test it with \{\{if hasKey \.Payload\.After "x"\}\}\)/)
  t.throws(() => compileTemplate('{{ .Payload.After.x }}')(createRecord({ position: 'p', operation: 'create', after: { y: 1 } })),
    { message: 'template: line 1: missing key "x" in .Payload.After (test it with {{if hasKey .Payload.After "x"}})' })
})
