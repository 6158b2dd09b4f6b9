// A copying process for universe.crash-resume.test.ts: source → ackOnWrite → destination with a checkpoint file,
// killed by the test. Prints "DONE <records>" when a snapshot-only copy ends by itself.
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { createSource } from '../../../src/readable/source.js'
import { ackOnWrite } from '../../../src/readable/ack.js'
import { createDestination } from '../../../src/writable/destination.js'

const [endpoint, table, dest, checkpoint, mode] = process.argv.slice(2) as [string, string, string, string, 'snapshot' | 'cdc']
const source = createSource({ table, endpoint, checkpoint, checkpointInterval: 0, snapshotPageSize: 5, readRatePerSecond: 30, recordsPollingPeriod: 100, snapshotOnly: mode === 'snapshot' })
let records = 0
const count = new Transform({ objectMode: true, transform (r, _e, cb) { records++; cb(null, r) } })
await pipeline(source, count, ackOnWrite(source, createDestination({ table: dest, endpoint })))
process.stdout.write(`DONE ${records}\n`)
