// A copying process for tables.crash-resume.test.ts: one source over many tables → ackOnWrite → destination
// routed to "<collection>_copy", with a checkpoint file; killed by the test.
import { pipeline } from 'node:stream/promises'
import { createSource } from '../../../../src/readable/source.js'
import { ackOnWrite } from '../../../../src/readable/ack.js'
import { createDestination } from '../../../../src/writable/destination.js'

const [endpoint, tables, checkpoint] = process.argv.slice(2) as [string, string, string]
const source = createSource({ tables: tables.split(','), endpoint, checkpoint, checkpointInterval: 0, snapshotPageSize: 5, readRatePerSecond: 30, recordsPollingPeriod: 100, tableDiscoveryInterval: 0 })
await pipeline(source, ackOnWrite(source, createDestination({ table: '{{collection}}_copy', endpoint })))
