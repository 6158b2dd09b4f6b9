// File → table: apply OpenCDC JSON Lines (creates, updates, deletes) to a table.
// Run: DYNAMODB_ENDPOINT=http://127.0.0.1:8000 IN=orders.jsonl TABLE=orders_copy node examples/file-to-table.mjs
import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { createDestination, parseJSONL } from 'dynamodb-opencdc'

await pipeline(
  createReadStream(process.env.IN ?? 'orders.jsonl'),
  parseJSONL(), // a malformed line fails the pipeline with its line number
  createDestination({ table: process.env.TABLE ?? 'orders_copy', 'sdk.batch.size': '25' })
)
