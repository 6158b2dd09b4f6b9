// Rate-limited bulk load: generated records written at most RATE items per second.
// Run: DYNAMODB_ENDPOINT=http://127.0.0.1:8000 TABLE=orders COUNT=1000 RATE=200 node examples/bulk-load.mjs
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createDestination, createRecord } from 'dynamodb-opencdc'

const count = Number(process.env.COUNT ?? 1000)
function * orders () {
  for (let i = 0; i < count; i++) {
    const id = `order-${i}`
    yield createRecord({ position: id, operation: 'create', key: { id }, after: { id, total: i * 1.5, createdAt: new Date(0).toISOString() } })
  }
}

const started = Date.now()
await pipeline(
  Readable.from(orders()),
  createDestination({
    table: process.env.TABLE ?? 'orders',
    'sdk.rate.perSecond': process.env.RATE ?? '200', // seed settings verbatim, strings…
    rateBurst: 50 // …or typed camelCase options
  })
)
console.log(`loaded ${count} items in ${((Date.now() - started) / 1000).toFixed(1)} s`)
