import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { exportTable } from '../../helpers/export.js'
import { useS3 } from '../../helpers/s3.js'
import { PK, createUniverseTable, diffItems, putItems, scanAll, universe } from '../../helpers/universe.js'
import { cli } from './cli.spawn.js'

// --from-export: an export already in S3 (s3rver), laid out from a real DynamoDB Local table, copied with no export API call.
const ddb = await useDynamo(t)
const s3 = await useS3(t)
await s3.createBucket('dumps')
const env = { DYNAMODB_ENDPOINT: ddb.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' }
const source = await createUniverseTable(ddb, 'S')
const items = universe({ key: 'S', count: 60, seed: 1620 })
await putItems(ddb.client, source, items)
const exp = await exportTable(ddb.client, source, { prefix: 'exports', fileCount: 3, bucket: 'dumps' })
for (const [key, body] of exp.files) await s3.put('dumps', key, body)
const url = `s3://dumps/${exp.base}/`

t.test('copy --from-export s3://…/AWSDynamoDB/<id>/ --snapshot-only leaves the destination equal to the exported table, types exact', async (t) => {
  const to = await createUniverseTable(ddb, 'S')
  const res = await cli(['copy', '--from-export', url, '--from', source, '--to', to, '--snapshot-only', '--region', 'us-east-1', '-s', `s3.endpoint=${s3.endpoint}`], { env })
  t.equal(res.code, 0, res.stderr)
  const diffs = diffItems(exp.items, await scanAll(ddb.client, to), PK)
  t.same(diffs, [], JSON.stringify(diffs.slice(0, 4)))
  t.equal(exp.items.length, items.length, 'the export holds the whole table')
})

t.test('read --from-export prints one snapshot record per exported item', async (t) => {
  const res = await cli(['read', '--table', source, '--from-export', url, '--snapshot-only', '--region', 'us-east-1', '-s', `s3.endpoint=${s3.endpoint}`], { env })
  t.equal(res.code, 0, res.stderr)
  const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { operation: string })
  t.equal(lines.length, items.length)
  t.ok(lines.every((r) => r.operation === 'snapshot'))
})

t.test('a --from-export that is not a folder or s3:// URL is a usage error naming the form expected, exit 2', async (t) => {
  const to = await createUniverseTable(ddb, 'S')
  const res = await cli(['copy', '--from-export', 'https://dumps.s3.amazonaws.com/exports/', '--from', source, '--to', to, '--snapshot-only'], { env })
  t.equal(res.code, 2, res.stderr)
  t.match(res.stderr, /snapshot.export.url must be a local folder or s3:\/\/bucket\/prefix\/AWSDynamoDB\/<export-id>\//)
})

t.test('--from-export without --snapshot-only is refused: the export was cut before any stream anchor we could take now, exit 2', async (t) => {
  const res = await cli(['read', '--table', source, '--from-export', url], { env })
  t.equal(res.code, 2, res.stderr)
  t.match(res.stderr, /needs snapshot.only: the changes between that export's cut and this run's stream anchor are no longer in reach/)
})
