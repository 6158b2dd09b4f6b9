import t from 'tap'
import { Readable } from 'node:stream'
import { createAvroEncoder, InMemorySchemaRegistry } from '../../../../src/transforms/index.js'
import { createRecord, type OpenCDCRecord } from '../../../../src/model/record.js'

async function encodeAll (records: OpenCDCRecord[], registry: InMemorySchemaRegistry): Promise<string[]> {
  const out: string[] = []
  for await (const r of Readable.from(records).pipe(createAvroEncoder({ registry, contextEnabled: false }))) out.push((r as OpenCDCRecord).metadata['opencdc.payload.schema.version'] as string)
  return out
}

const rec = (after: Record<string, unknown>) => createRecord({ position: 'p', operation: 'create', metadata: { 'opencdc.collection': 'T' }, key: { id: 1 }, after: after as never })

t.test('schema versions increase only when the shape changes', async (t) => {
  const registry = new InMemorySchemaRegistry()
  const versions = await encodeAll([
    rec({ id: 1, name: 'a' }),
    rec({ id: 2, name: 'b' }),
    rec({ name: 'c', id: 3 }),
    rec({ id: 4, name: 'd', extra: true }),
    rec({ id: 5, name: 'e', extra: false }),
    rec({ id: 6, name: 'f' })
  ], registry)
  t.same(versions, ['1', '1', '1', '2', '2', '1'], 'a known shape reuses its version')
  t.same(registry.subjects(), { 'T.key': 1, 'T.payload': 2 })
})

t.test('a value changing type is a new shape', async (t) => {
  const registry = new InMemorySchemaRegistry()
  t.same(await encodeAll([rec({ id: 1, v: 1 }), rec({ id: 1, v: 1.5 }), rec({ id: 1, v: 'x' })], registry), ['1', '2', '3'])
})
