// A separate process for crash/exit tests: `resume` acks all but a gap then waits to be killed; `exit` destroys and must exit by itself.
import { createChangeStream } from '../../src/readable/cdc/change-stream.js'
import type { OpenCDCRecord } from '../../src/record.js'

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
}
