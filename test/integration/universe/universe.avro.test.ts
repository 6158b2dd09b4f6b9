import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { KEY_VARIANTS, label, snapshotThrough, tap } from '../../helpers/universe-path.js'
import { createAvroDecoder, createAvroEncoder, InMemorySchemaRegistry } from '../../../src/transforms/index.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'

const ddb = await useDynamo(t)

for (const v of KEY_VARIANTS) {
  t.test(`snapshot → Avro encode → decode → table keeps every ${label(v)} universe item exactly`, async (t) => {
    const registry = new InMemorySchemaRegistry()
    let encoded = 0
    await snapshotThrough(t, ddb, { ...v, count: 80, seed: 303 }, () => [
      createAvroEncoder({ registry }),
      tap((r) => { if (Buffer.isBuffer((r as OpenCDCRecord).payload.after) && Buffer.isBuffer((r as OpenCDCRecord).key)) encoded++ }, true),
      createAvroDecoder({ registry })
    ])
    t.ok(encoded > 0, `${encoded} records travelled as Avro bytes`)
  })
}
