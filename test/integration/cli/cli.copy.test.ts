import t from 'tap'
import { mkdtempSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { randomItem, rng } from '../../helpers/random.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { cli } from './cli.spawn.js'
import { dump, seed } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const dir = mkdtempSync(path.join(tmpdir(), 'cli-copy-'))

t.test('copy --snapshot-only makes the destination equal to the source, every attribute type included', async (t) => {
  const r = rng(11)
  const from = await ddb.createTable()
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 1500 }, (_, i) => ({ ...randomItem(r), id: `i${i}` })))
  const ckpt = path.join(dir, 'copy.json')
  const res = await cli(['copy', '--from', from, '--to', to, '--snapshot-only', '--checkpoint', ckpt, '--batch-size', '25'], { env })
  t.equal(res.code, 0, res.stderr)
  t.equal(res.stdout, '', 'copy prints no data')
  t.same(await dump(ddb.client, to), await dump(ddb.client, from))
  t.ok(existsSync(ckpt), 'the checkpoint was saved')
  const again = await cli(['copy', '--from', from, '--to', to, '--snapshot-only', '--checkpoint', ckpt], { env })
  t.equal(again.code, 0, again.stderr)
})

t.test('copy takes the endpoint of each side separately', async (t) => {
  const from = await ddb.createTable()
  const to = await ddb.createTable()
  await seed(ddb.client, from, [{ id: 'x', v: 1 }])
  const res = await cli(['copy', '--from', from, '--to', to, '--snapshot-only', '--from-endpoint', ddb.endpoint, '--to-endpoint', ddb.endpoint], { env: { DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' } })
  t.equal(res.code, 0, res.stderr)
  t.same(await dump(ddb.client, to), [JSON.stringify({ id: { S: 'x' }, v: { N: '1' } })])
})

t.test('copy into a missing table fails with exit 1 and the AWS error', async (t) => {
  const from = await ddb.createTable()
  await seed(ddb.client, from, [{ id: 'x' }])
  const res = await cli(['copy', '--from', from, '--to', 'no_such_table', '--snapshot-only'], { env })
  t.equal(res.code, 1)
  t.match(res.stderr, /dynamodb-opencdc copy: .*(no_such_table|ResourceNotFound|non-existent)/i)
})
