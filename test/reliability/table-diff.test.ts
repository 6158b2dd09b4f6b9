import t from 'tap'
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../helpers/dynamo.js'
import { fillTable, startMutator } from '../helpers/mutator.js'
import { diffStates, scanTable } from '../helpers/table-state.js'
import { makeWorkload } from '../helpers/workload.js'

const dynamo = await useDynamo(t)

t.test('the table comparison the reliability tests rely on catches a missing, an extra and a changed item', async (t) => {
  const a = await dynamo.createTable()
  await fillTable(dynamo.client, a, 120, 1)
  const expected = await scanTable(dynamo.client, a)
  t.equal(expected.size, 120)
  t.same(diffStates(expected, await scanTable(dynamo.client, a)), { missing: [], extra: [], different: [], compared: 120 })
  await dynamo.client.send(new DeleteItemCommand({ TableName: a, Key: { id: { S: 'm00007' } } }))
  await dynamo.client.send(new PutItemCommand({ TableName: a, Item: { id: { S: 'zz-extra' } } }))
  await dynamo.client.send(new UpdateItemCommand({ TableName: a, Key: { id: { S: 'm00042' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '-1' } } }))
  t.same(diffStates(expected, await scanTable(dynamo.client, a)), { missing: ['m00007'], extra: ['zz-extra'], different: ['m00042'], compared: 120 })
})

t.test('the concurrent mutator writes, updates and deletes one request at a time until stopped', async (t) => {
  const table = await dynamo.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await fillTable(dynamo.client, table, 50, 2)
  const before = await scanTable(dynamo.client, table)
  const mutator = startMutator(dynamo.client, table, { seed: 3, keySpace: 60 })
  // Run until it has written a few, however loaded the machine is (no timing assertion).
  for (const deadline = Date.now() + 60_000; mutator.writes <= 20 && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 50))
  await mutator.stop()
  const writes = mutator.writes
  t.ok(writes > 20, `${writes} writes before stop()`)
  const diff = diffStates(before, await scanTable(dynamo.client, table))
  t.ok(diff.different.length + diff.missing.length + diff.extra.length > 0, 'the table changed')
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(mutator.writes, writes, 'nothing is written after stop() resolved')
})

t.test('a workload knows the table it must produce: last write per key wins, deletes remove', async (t) => {
  const w = makeWorkload(5, 500, 50)
  t.equal(w.records.length, 500)
  const ops = new Set(w.records.map((r) => r.operation))
  t.same([...ops].sort(), ['create', 'delete', 'snapshot', 'update'])
  const last = new Map<string, string>()
  for (const r of w.records) last.set((r.key as { id: string }).id, r.operation)
  for (const [id, op] of last) t.equal(w.expected.has(id), op !== 'delete', `${id} after a final ${op}`)
})
