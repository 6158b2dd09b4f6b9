import t from 'tap'
import { useDynamo } from '../helpers/dynamo.js'
import { cli } from '../helpers/child.js'
import { useFaultProxy } from '../helpers/fault-proxy.js'
import { fillTable } from '../helpers/mutator.js'
import { describeDiff, diffStates, scanTable } from '../helpers/table-state.js'

const dynamo = await useDynamo(t)

// Found by crash-resume: the idle clock of --until-idle used to run from the start, so a snapshot whose first
// page takes longer than the idle time ends the copy with exit 0 and the snapshot incomplete.
t.test('copy --until-idle does not stop while the snapshot is still running, however slow its pages', async (t) => {
  const source = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const dest = await dynamo.createTable()
  await fillTable(dynamo.client, source, 200, 31)
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'slow', operations: ['Scan'], delayMs: 1500 }], 31)
  const out = await cli(['copy', '--from', source, '--to', dest, '--endpoint', proxy.endpoint, '--until-idle', '1s', '-s', 'snapshot.limit=100'])
  t.equal(out.code, 0, out.stderr)
  const diff = diffStates(await scanTable(dynamo.client, source), await scanTable(dynamo.client, dest))
  t.same(diff, { missing: [], extra: [], different: [], compared: 200 }, describeDiff(diff))
})
