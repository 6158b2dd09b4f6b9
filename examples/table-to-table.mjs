// Table → table: replicate with acknowledgements, so the checkpoint only covers records written to the target.
// Run: DYNAMODB_ENDPOINT=http://127.0.0.1:8000 FROM=orders TO=orders_copy node examples/table-to-table.mjs
import { pipeline } from 'node:stream/promises'
import { ackOnWrite, createDestination, createSource } from 'dynamodb-opencdc'

const source = createSource({
  table: process.env.FROM ?? 'orders',
  checkpoint: process.env.CHECKPOINT ?? 'orders-copy.checkpoint.json', // resume here after a restart
  snapshotOnly: true // drop this to keep applying changes from DynamoDB Streams
})
const destination = createDestination({ table: process.env.TO ?? 'orders_copy' })
// Each record is acknowledged once written; pipeline() resolves after the last checkpoint save.
await pipeline(source, ackOnWrite(source, destination))
