import t from 'tap'
import { cli } from './cli.spawn.js'

// What `npm start` runs on a fresh clone: no DYNAMODB_ENDPOINT, so the demo starts its own DynamoDB Local.
t.test('demo starts DynamoDB Local, prints snapshot and change records and a summary, and exits 0', async (t) => {
  const res = await cli(['demo'], { env: { DYNAMODB_ENDPOINT: '' }, timeoutMs: 120_000 })
  t.equal(res.code, 0, res.stderr)
  const records = res.stdout.split('\n').filter((l) => l.startsWith('[')).map((l) => {
    const op = /^\[(\w+)\] /.exec(l)?.[1] as string
    return { op, doc: JSON.parse(l.slice(op.length + 3)) as { operation: string, key: { id: string }, payload: { before: Record<string, unknown> | null, after: Record<string, unknown> | null } } }
  })
  const snapshot = records.filter((r) => r.op === 'snapshot')
  t.same(snapshot.map((r) => r.doc.key.id).sort(), ['order-1', 'order-2', 'order-3', 'order-4', 'order-5'], 'one snapshot record per sample order')
  t.match(res.stdout.split('\n').find((l) => l.startsWith('[snapshot]') && l.includes('"order-2"')), /"total":12345678901234567890\.123456789012345678[,}]/, 'the 38-digit total keeps every digit')
  const changes = records.filter((r) => r.op !== 'snapshot').map((r) => `${r.op} ${r.doc.key.id}`)
  t.same(changes, ['create order-6', 'update order-1', 'update order-6', 'delete order-3', 'create order-7'], 'the live changes, in order, after the snapshot')
  t.ok(records.findIndex((r) => r.op !== 'snapshot') > records.findLastIndex((r) => r.op === 'snapshot'), 'changes come after every snapshot record')
  const update = records.find((r) => r.op === 'update' && r.doc.key.id === 'order-1')?.doc
  t.same([update?.payload.before?.status, update?.payload.after?.status], [undefined, 'shipped'], 'an update carries before and after')
  t.match(res.stdout, /# summary: 5 snapshot records, 2 creates, 2 updates, 1 delete in [\d.]+ s/)
})
