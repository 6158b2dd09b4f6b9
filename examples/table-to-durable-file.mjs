// Table → file, checkpointed: each line is acknowledged only once it is fsync'd, so a restart resumes without losing lines.
// Run: DYNAMODB_ENDPOINT=http://127.0.0.1:8000 TABLE=orders OUT=orders.jsonl node examples/table-to-durable-file.mjs
import { pipeline } from 'node:stream/promises'
import { ackOnWrite, createFileSink, createSource } from 'dynamodb-opencdc'

const source = createSource({
  table: process.env.TABLE ?? 'orders',
  checkpoint: process.env.CHECKPOINT ?? 'orders-file.checkpoint.json',
  snapshotOnly: true
})
// createWriteStream() cannot say when a line is safe; createFileSink() calls back after write + fsync.
await pipeline(source, ackOnWrite(source, createFileSink(process.env.OUT ?? 'orders.jsonl')))
