import t from 'tap'
import { serializeOpenCDC } from '../../../src/transforms/format.js'
import { decodeNumber } from '../../../src/model/codec.js'
import { createRecord } from '../../../src/model/record.js'

// Conduit's documented serializer output for this fixture (conduit-commons opencdc JSONSerializer test).
const CONDUIT_FIXTURE = createRecord({
  position: 'standing',
  operation: 'update',
  metadata: { foo: 'bar' },
  key: Buffer.from('padlock-key'),
  before: Buffer.from('yellow'),
  after: { string: 'orange', int: 1, int32: 1, int64: 1, float32: 1.2, float64: 1.2, bool: true }
})

t.test('writes Conduit\'s documented opencdc/json bytes for its fixture record', async (t) => {
  t.equal(serializeOpenCDC(CONDUIT_FIXTURE),
    '{"position":"c3RhbmRpbmc=","operation":"update","metadata":{"foo":"bar"},"key":"cGFkbG9jay1rZXk=","payload":{"before":"eWVsbG93","after":{"bool":true,"float32":1.2,"float64":1.2,"int":1,"int32":1,"int64":1,"string":"orange"}}}')
})

t.test('writes absent key, before and after as null and metadata keys sorted', async (t) => {
  const r = createRecord({ position: 'p', operation: 'create', metadata: { z: '1', a: '2' }, after: { id: 'x' } })
  t.equal(serializeOpenCDC(r), '{"position":"cA==","operation":"create","metadata":{"a":"2","z":"1"},"key":null,"payload":{"before":null,"after":{"id":"x"}}}')
})

t.test('keeps every digit of 38-digit numbers and 1e-130 as number literals', async (t) => {
  const tiny = '0.' + '0'.repeat(129) + '1'
  const r = createRecord({ position: 'p', operation: 'snapshot', key: { id: decodeNumber('12345678901234567890123456789012345678') }, after: { tiny: decodeNumber(tiny), pi: decodeNumber('3.14159265358979323846264338327950288') } })
  t.equal(serializeOpenCDC(r), `{"position":"cA==","operation":"snapshot","metadata":{},"key":{"id":12345678901234567890123456789012345678},"payload":{"before":null,"after":{"pi":3.14159265358979323846264338327950288,"tiny":${tiny}}}}`)
  t.equal(((r.payload.after as Record<string, unknown>).tiny as { value: string }).value, tiny, "DynamoDB's spelling of 1E-130 is kept digit for digit")
})

t.test('sorts nested keys and writes nested bytes as base64 and sets as arrays', async (t) => {
  const r = createRecord({ position: 'p', operation: 'create', after: { m: { b: 1, a: Uint8Array.of(1, 2, 3) }, ss: new Set(['x', 'y']) } })
  t.equal(serializeOpenCDC(r, { typeHints: false }), '{"position":"cA==","operation":"create","metadata":{},"key":null,"payload":{"before":null,"after":{"m":{"a":"AQID","b":1},"ss":["x","y"]}}}')
  t.equal(serializeOpenCDC(r), '{"position":"cA==","operation":"create","metadata":{"dynamodb.types":"{\\"after\\":[[\\"B\\",\\"m\\",\\"a\\"],[\\"SS\\",\\"ss\\"]]}"},"key":null,"payload":{"before":null,"after":{"m":{"a":"AQID","b":1},"ss":["x","y"]}}}',
    'by default only a metadata entry naming the set and the bytes is added; the payload is the same')
})

t.test('writes the position as null when position.excluded is set', async (t) => {
  const r = createRecord({ position: 'p', operation: 'delete', key: { id: 1 } })
  t.equal(serializeOpenCDC(r, { positionExcluded: true }), '{"position":null,"operation":"delete","metadata":{},"key":{"id":1},"payload":{"before":null,"after":null}}')
})

t.test('writes typed DynamoDB JSON for key, before and after when dynamodbJson is set', async (t) => {
  const r = createRecord({ position: 'p', operation: 'create', key: { id: 'a' }, after: { id: 'a', ns: new Set([1, 2]), b: Uint8Array.of(255), n: null } })
  t.equal(serializeOpenCDC(r, { dynamodbJson: true }),
    '{"position":"cA==","operation":"create","metadata":{},"key":{"id":{"S":"a"}},"payload":{"before":null,"after":{"b":{"B":"/w=="},"id":{"S":"a"},"n":{"NULL":true},"ns":{"NS":["1","2"]}}}}')
})
