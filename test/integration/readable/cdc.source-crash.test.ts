import t from 'tap'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { churn } from '../../helpers/churn.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { scanTable } from '../../helpers/table-state.js'
import { createSource } from '../../../src/readable/source.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cdc', 'cdc.child.ts')
const loader = process.execArgv.filter((a) => a.includes('typescript'))
const ITEMS = 3000

interface Out { op: string, id: string, v: number | null }

t.test('killed mid-snapshot while the table changes, createSource resumes from its checkpoint and the applied output still equals the table', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const changes = churn(ddb.client, table, ITEMS)
  await changes.fill()
  const checkpoint = path.join(t.testdir(), 'source.json')

  const first: Out[] = []
  const proc = spawn(process.execPath, [...loader, child, 'source', ddb.endpoint, table, checkpoint], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
  let text = ''
  proc.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString()
    const lines = text.split('\n')
    text = lines.pop() as string
    for (const line of lines) first.push(JSON.parse(line) as Out)
  })
  const exited = new Promise((resolve) => proc.once('exit', resolve))
  while (first.length < 200) await new Promise((resolve) => setTimeout(resolve, 20))
  let round = 0
  // At least 5 writes however fast the child reads (it reads 400 items/s, so the snapshot still has seconds to go).
  while (first.length < 1200 || round < 5) await changes.write(round++)
  proc.kill('SIGKILL')
  await exited
  const writesBeforeKill = round
  for (let i = 0; i < 30; i++) await changes.write(round++)
  await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'sentinel' }, v: { N: '0' } } }))
  t.ok(first.every((r) => r.op === 'snapshot'), `the first run was killed during the snapshot (${first.length} records, ${writesBeforeKill} writes by then)`)
  t.ok(writesBeforeKill >= 5, 'the table changed while the first run was scanning')

  const second: Out[] = []
  const source = createSource({ table, endpoint: ddb.endpoint, checkpoint, recordsPollingPeriod: 100 })
  for await (const r of source) {
    const rec = r as OpenCDCRecord
    second.push({ op: rec.operation, id: (rec.key as { id: string }).id, v: (rec.payload.after as { v?: number } | null)?.v ?? null })
    source.ack(rec)
    if (second.at(-1)?.id === 'sentinel') break
  }
  const rescanned = second.filter((r) => r.op === 'snapshot').length
  t.ok(rescanned <= ITEMS - 800, `the second run resumed the snapshot rather than restarting it (${rescanned} snapshot and ${second.length - rescanned} change records)`)

  const applied = new Map<string, number | null>()
  for (const r of [...first, ...second]) {
    if (r.op === 'delete') applied.delete(r.id)
    else applied.set(r.id, r.v)
  }
  const table2 = new Map([...await scanTable(ddb.client, table)].map(([id, it]) => [id, Number(it.v?.N)]))
  t.equal(applied.size, table2.size, 'same item count')
  t.same([...table2].filter(([k, v]) => applied.get(k) !== v), [], 'every item equal')
})
