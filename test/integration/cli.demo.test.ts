import t from 'tap'
import { cli } from './cli.spawn.js'

// What `npm start` runs on a fresh clone: no DYNAMODB_ENDPOINT, so the demo starts its own DynamoDB Local.
t.test('demo starts DynamoDB Local, prints the snapshot records and a summary, and exits 0', async (t) => {
  const res = await cli(['demo'], { env: { DYNAMODB_ENDPOINT: '' }, timeoutMs: 120_000 })
  t.equal(res.code, 0, res.stderr)
  const snapshot = res.stdout.split('\n').filter((l) => l.startsWith('[snapshot] '))
  t.equal(snapshot.length, 5, 'one line per sample order')
  const docs = snapshot.map((l) => JSON.parse(l.slice('[snapshot] '.length)) as { operation: string, key: { id: string }, payload: { after: Record<string, unknown> } })
  t.same(docs.map((d) => d.key.id).sort(), ['order-1', 'order-2', 'order-3', 'order-4', 'order-5'])
  t.match(snapshot.find((l) => l.includes('order-2')), /"total":12345678901234567890\.123456789012345678/, 'the 38-digit total keeps every digit')
  t.match(res.stdout, /# summary: 5 snapshot records/)
})
