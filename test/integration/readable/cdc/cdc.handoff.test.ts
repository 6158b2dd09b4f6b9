import t from 'tap'
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { churn } from '../../../helpers/churn.js'
import { useDynamo } from '../../../helpers/dynamo.js'
import { describeDiff, diffStates, scanTable, type Item } from '../../../helpers/table-state.js'
import { CdcPhase } from '../../../../src/readable/cdc/cdc-phase.js'
import { resolveChangeStreamOptions } from '../../../../src/readable/cdc/settings.js'
import { fromAttributeMap, toAttributeMap, type AttributeMap } from '../../../../src/model/codec.js'
import type { OpenCDCRecord, StructuredData } from '../../../../src/model/record.js'

const ITEMS = 5000

t.test('changes made while a scan runs come out after it, and applying everything in order rebuilds the table exactly', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const changes = churn(ddb.client, table, ITEMS, 100)
  await changes.fill()

  const out: Array<{ operation: string, key: StructuredData, after: StructuredData | null }> = []
  let cdcCount = 0
  const phase = new CdcPhase({
    client: ddb.client,
    streams: ddb.streams,
    table,
    options: resolveChangeStreamOptions({ table, recordsPollingPeriod: 100, spoolMemoryRecords: 100 }),
    doc: {},
    trackAcks: true,
    signal: new AbortController().signal,
    push: (r: OpenCDCRecord) => { out.push({ operation: r.operation, key: r.key as StructuredData, after: r.payload.after as StructuredData | null }); cdcCount++; return true },
    changed: () => {},
    error: (err) => { t.error(err) }
  })
  await phase.anchor()

  // A writer mutating the table while it is scanned: updates, deletes and inserts, one request at a time.
  let scanning = true
  let writes = 0
  const writer = (async () => {
    for (let round = 1; scanning || round <= 50; round++) {
      await changes.write(round)
      writes++
    }
  })()

  let start: Record<string, AttributeValue> | undefined
  do {
    const page = await ddb.client.send(new ScanCommand({ TableName: table, Limit: 100, ConsistentRead: true, ExclusiveStartKey: start }))
    for (const it of page.Items ?? []) out.push({ operation: 'snapshot', key: { id: it.id?.S as string }, after: fromAttributeMap(it as AttributeMap) })
    start = page.LastEvaluatedKey
    await new Promise((resolve) => setTimeout(resolve, 15))
  } while (start !== undefined)
  const snapshotCount = out.length
  scanning = false
  await writer
  t.equal(cdcCount, 0, 'no change is emitted before the snapshot ends')
  t.ok(phase.buffered > 0, `changes made during the scan were spooled (${phase.buffered})`)

  phase.startEmitting()
  for (let i = 0; i < 600 && cdcCount < writes; i++) await new Promise((resolve) => setTimeout(resolve, 50))
  await phase.close()
  t.equal(cdcCount, writes, `every one of the ${writes} writes came out of CDC`)
  t.ok(out.slice(0, snapshotCount).every((r) => r.operation === 'snapshot') && out.slice(snapshotCount).every((r) => r.operation !== 'snapshot'), 'all snapshot records come first')

  const rebuilt = new Map<string, Item>()
  for (const r of out) {
    const id = r.key.id as string
    if (r.operation === 'delete') rebuilt.delete(id)
    else rebuilt.set(id, toAttributeMap(r.after as StructuredData))
  }
  const diff = diffStates(await scanTable(ddb.client, table), rebuilt)
  t.same(diff, { missing: [], extra: [], different: [], compared: diff.compared }, `applying everything in order gives the table, types included: ${describeDiff(diff)}`)
})
