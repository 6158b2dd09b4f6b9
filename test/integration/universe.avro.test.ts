import t from 'tap'
import { useDynamo } from '../helpers/dynamo.js'
import { KEY_VARIANTS, label, snapshotThrough, tap } from '../helpers/universe-path.js'
import { createAvroDecoder, createAvroEncoder, InMemorySchemaRegistry } from '../../src/transforms/index.js'
import type { OpenCDCRecord } from '../../src/record.js'

const ddb = await useDynamo(t)

// Found by the universe: avsc's long zigzag-encodes -n*2-1 as a double, so integers below -2^52 change (-4503599627370497 → 4503599627370496).
const TODO = 'avro: integers below -2^52 are inferred as long (avro-schema.ts inferShape, avro-value.ts) and avsc flips their sign'

for (const v of KEY_VARIANTS) {
  t.test(`snapshot → Avro encode → decode → table keeps every ${label(v)} universe item exactly`, { todo: TODO }, async (t) => {
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
