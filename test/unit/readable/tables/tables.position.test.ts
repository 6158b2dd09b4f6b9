import t from 'tap'
import { decodeTablePosition, encodeTablePosition } from '../../../../src/readable/tables/position.js'
import { encodeSnapshotPosition } from '../../../../src/readable/snapshot/position.js'

t.test('a table position carries the table and gives back the exact inner bytes', async (t) => {
  const inner = encodeSnapshotPosition(1, 4, { id: { S: 'a"b\u00e9' } })
  const p = encodeTablePosition('orders.v2', inner)
  t.same(JSON.parse(p.toString()), { v: 1, kind: 'table', t: 'orders.v2', p: JSON.parse(inner.toString()) }, 'readable JSON with the inner position embedded')
  const back = decodeTablePosition(p)
  t.equal(back.table, 'orders.v2')
  t.ok(back.inner.equals(inner), 'inner bytes identical')
})

t.test('the same inner position in two tables gives two positions', async (t) => {
  const inner = encodeSnapshotPosition(0, 1, { id: { N: '7' } })
  t.notOk(encodeTablePosition('aaa', inner).equals(encodeTablePosition('bbb', inner)))
})

t.test('a position that is not a many-table one throws ERR_DDB_INVALID_POSITION saying why', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['nope', /not JSON/],
    [encodeSnapshotPosition(0, 1, { id: { S: 'x' } }).toString(), /kind is "snapshot", expected "table"/],
    ['{"v":2,"kind":"table","t":"aaa","p":{}}', /version 2/],
    ['{"v":1,"kind":"table","t":"aaa"}', /needs a table "t" and a position "p"/],
    ['{"kind":"table","v":1,"t":"aaa","p":{}}', /not in the form this source writes/]
  ]
  for (const [text, message] of cases) t.throws(() => decodeTablePosition(Buffer.from(text)), { code: 'ERR_DDB_INVALID_POSITION', message }, text)
})
