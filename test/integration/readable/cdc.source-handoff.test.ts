import t from 'tap'
import { churn } from '../../helpers/churn.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { applyRecord, describeDiff, diffStates, scanTable, type Item } from '../../helpers/table-state.js'
import { createSource } from '../../../src/readable/source.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'

const ITEMS = 6000

t.test('createSource: writes made during the snapshot come out after it; applying the output in order to an empty table rebuilds the source exactly', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const changes = churn(ddb.client, table, ITEMS, 100)
  await changes.fill()
  const source = createSource({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100, readRatePerSecond: 3000, snapshotPageSize: 100, consistentRead: true, checkpoint: `${t.testdir()}/cp.json` })

  let snapshotDone = false
  let writesDuringSnapshot = 0
  let writes = 0
  let writer: Promise<void> | undefined
  const startWriter = (): Promise<void> => (async () => {
    for (let round = 0; !snapshotDone || round < 60; round++) {
      await changes.write(round)
      writes++
    }
  })()

  const out: OpenCDCRecord[] = []
  let snapshotRecords = 0
  for await (const r of source) {
    const record = r as OpenCDCRecord
    out.push(record)
    source.ack(record)
    if (record.operation === 'snapshot') {
      snapshotRecords++
      writer ??= startWriter()
    } else {
      if (!snapshotDone) writesDuringSnapshot = writes
      snapshotDone = true
      await writer
      if (out.length - snapshotRecords === writes) break
    }
  }
  t.ok(writesDuringSnapshot >= 20, `${writesDuringSnapshot} of ${writes} writes were made while the snapshot ran`)
  const firstChange = out.findIndex((r) => r.operation !== 'snapshot')
  t.equal(out.slice(firstChange).filter((r) => r.operation === 'snapshot').length, 0, 'no snapshot record after the first change')
  t.equal(out.length - firstChange, writes, 'every write came out exactly once')

  const rebuilt = new Map<string, Item>()
  for (const r of out) applyRecord(rebuilt, r)
  const diff = diffStates(await scanTable(ddb.client, table), rebuilt)
  t.same(diff, { missing: [], extra: [], different: [], compared: diff.compared }, `applying the output in order gives the table, types included: ${describeDiff(diff)}`)
})
