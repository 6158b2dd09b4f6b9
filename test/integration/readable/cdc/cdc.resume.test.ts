import t from 'tap'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createChangeStream } from '../../../../src/readable/cdc/change-stream.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cdc.child.ts')
const loader = process.execArgv.filter((a) => a.includes('typescript'))

t.test('a CDC reader killed mid-stream resumes from its file checkpoint: nothing lost, duplicates bounded by the unacknowledged', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const put = async (i: number): Promise<void> => { await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: `i${i}` }, n: { N: String(i) } } })) }
  for (let i = 0; i < 300; i++) await put(i)
  const checkpointFile = path.join(t.testdir(), 'cdc.json')

  const proc = spawn(process.execPath, [...loader, child, 'resume', ddb.endpoint, table, checkpointFile], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
  const emitted: string[] = []
  const seqs: string[] = []
  await new Promise<void>((resolve, reject) => {
    let text = ''
    proc.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      let nl
      while ((nl = text.indexOf('\n')) >= 0) {
        const line = text.slice(0, nl)
        text = text.slice(nl + 1)
        if (line === 'READY') { resolve(); return }
        const { key, seq } = JSON.parse(line) as { key: string, seq: string }
        emitted.push(key)
        seqs.push(seq)
      }
    })
    proc.on('exit', (code) => { reject(new Error(`child exited early with ${code}`)) })
  })
  // Kill once the checkpoint holds the frontier: the last record before the gap of unacknowledged ones.
  const frontierSaved = async (): Promise<boolean> => {
    const text = await readFile(checkpointFile, 'utf8').catch(() => '{}')
    return Object.values((JSON.parse(text) as { shards?: Record<string, { after?: string }> }).shards ?? {}).some((s) => s.after === seqs[119])
  }
  for (let i = 0; i < 200 && !(await frontierSaved()); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  proc.kill('SIGKILL')
  await new Promise((resolve) => proc.once('exit', resolve))
  t.same(emitted, Array.from({ length: 200 }, (_, i) => `i${i}`), 'the first run emitted 200 records in order')

  const saved = JSON.parse(await readFile(checkpointFile, 'utf8')) as { streamArn: string, shards: Record<string, { after?: string }> }
  t.match(saved.streamArn, /^arn:/)
  t.equal(Object.values(saved.shards).filter((s) => s.after !== undefined).length, 1, 'the checkpoint holds the frontier of the one shard')

  for (let i = 300; i < 350; i++) await put(i)
  const stream = createChangeStream({ table, endpoint: ddb.endpoint, checkpoint: checkpointFile, recordsPollingPeriod: 100 })
  const resumed: string[] = []
  for await (const record of stream) {
    const key = ((record as OpenCDCRecord).key as { id: string }).id
    resumed.push(key)
    if (key === 'i349') break
  }
  t.same(resumed, Array.from({ length: 230 }, (_, i) => `i${i + 120}`), 'resumes right after the last contiguously acknowledged record (i119)')
  const duplicates = resumed.filter((k) => emitted.includes(k)).length
  t.equal(duplicates, 80, 'duplicates are exactly the records emitted after the first unacknowledged one')
})
