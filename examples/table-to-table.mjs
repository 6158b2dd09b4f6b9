// Table → table: replicate with acknowledgements, so the checkpoint only covers records written to the target.
// Run: DYNAMODB_ENDPOINT=http://127.0.0.1:8000 FROM=orders TO=orders_copy node examples/table-to-table.mjs
import { pipeline } from 'node:stream/promises'
import { createDestination, createSource } from 'dynamodb-opencdc'

const source = createSource({
  table: process.env.FROM ?? 'orders',
  checkpoint: process.env.CHECKPOINT ?? 'orders-copy.checkpoint.json', // resume here after a restart
  snapshotOnly: true // drop this to keep applying changes from DynamoDB Streams
})
const destination = createDestination({
  table: process.env.TO ?? 'orders_copy',
  onWritten: (records) => { for (const record of records) source.ack(record) }
})
await pipeline(source, destination)
