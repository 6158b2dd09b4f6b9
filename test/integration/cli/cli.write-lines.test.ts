import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { cli } from './cli.spawn.js'
import { dump } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const line = (id: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ position: Buffer.from(id).toString('base64'), operation: 'create', metadata: {}, key: { id }, payload: { before: null, after: { id, ...extra } } })

// Issue 17: JSON errors said "line 3" while record errors said "record #2" (0-based stream index) for the same input.
t.test('write names a record DynamoDB refuses by its input line, as it names a malformed line', async (t) => {
  const table = await ddb.createTable()
  const input = ['', line('a'), line('b', { big: 'x'.repeat(410 * 1024) }), line('c')].join('\n') + '\n'
  const res = await cli(['write', '--table', table], { env, input })
  t.equal(res.code, 1)
  t.match(res.stderr, /dynamodb-opencdc write: [^\n]*record on line 3 position "b" key \{id="b"\}/, 'line 3 of the input (the blank line 1 counts), not #1')
  t.notMatch(res.stderr, /record #\d/)
  t.same(await dump(ddb.client, table), [JSON.stringify({ id: { S: 'a' } })], 'the record before it was written')
})

t.test('write names a record whose key does not fit the table by its input line', async (t) => {
  const table = await ddb.createTable()
  const wrongKey = JSON.stringify({ position: 'Yg==', operation: 'create', metadata: {}, key: { id: 5 }, payload: { before: null, after: { id: 5 } } })
  const res = await cli(['write', '--table', table], { env, input: [line('a'), wrongKey].join('\n') + '\n' })
  t.equal(res.code, 1)
  t.match(res.stderr, /record on line 2 position "b" key \{id=5\}: /)
})
