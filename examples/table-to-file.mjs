// Table → file: a snapshot of a table as OpenCDC JSON Lines.
// Run: DYNAMODB_ENDPOINT=http://127.0.0.1:8000 TABLE=orders OUT=orders.jsonl node examples/table-to-file.mjs
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { createSource, format } from 'dynamodb-opencdc'

const source = createSource({ table: process.env.TABLE ?? 'orders', snapshotOnly: true }) // endpoint: DYNAMODB_ENDPOINT
await pipeline(source, format('opencdc/json'), createWriteStream(process.env.OUT ?? 'orders.jsonl'))
