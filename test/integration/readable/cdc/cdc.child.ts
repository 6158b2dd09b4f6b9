// A separate process for crash/exit tests: `resume` acks all but a gap then waits to be killed; `exit` destroys and must exit by itself;
// `source` runs createSource (snapshot → CDC) with a checkpoint file until killed.
import { createChangeStream } from '../../../../src/readable/cdc/change-stream.js'
import { createSource } from '../../../../src/readable/source.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'

const [mode, endpoint, table, checkpointFile] = process.argv.slice(2) as [string, string, string, string]

if (mode === 'resume') {
  const stream = createChangeStream({ table, endpoint, checkpoint: checkpointFile, startFrom: 'trim_horizon', recordsPollingPeriod: 100 })
  let i = 0
  for await (const record of stream) {
    const r = record as OpenCDCRecord
    if (i < 120 || i >= 130) stream.ack(r)
    process.stdout.write(JSON.stringify({ i, key: (r.key as { id: string }).id, seq: r.metadata['dynamodb.sequenceNumber'] }) + '\n')
    if (++i === 200) break
  }
  process.stdout.write('READY\n')
  await new Promise(() => { setInterval(() => {}, 1000) })
} else if (mode === 'exit') {
  const stream = createChangeStream({ table, endpoint })
  await stream.whenStarted()
  stream.resume()
  await new Promise((resolve) => setTimeout(resolve, 300))
  stream.destroy()
  stream.on('close', () => { process.stdout.write(`CLOSED ${Date.now()}\n`) })
} else if (mode === 'source') {
  const source = createSource({ table, endpoint, checkpoint: checkpointFile, checkpointInterval: 0, snapshotPageSize: 50, readRatePerSecond: 400, recordsPollingPeriod: 100 })
  for await (const record of source) {
    const r = record as OpenCDCRecord
    process.stdout.write(JSON.stringify({ op: r.operation, id: (r.key as { id: string }).id, v: (r.payload.after as { v?: number } | null)?.v ?? null }) + '\n')
    source.ack(r)
  }
}
