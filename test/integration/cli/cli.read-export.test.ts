import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { cli } from './cli.spawn.js'
import { seed } from './cli.tables.js'

// DynamoDB Local has no ExportTableToPointInTime: here that real answer checks the flags' wiring and the error path end to end.
const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }

t.test('read --snapshot-from export against DynamoDB Local fails with ERR_DDB_EXPORT_FAILED naming its UnknownOperationException, exit 1', async (t) => {
  const table = await ddb.createTable()
  await seed(ddb.client, table, [{ id: 'a', v: 1 }])
  const res = await cli(['read', '--table', table, '--snapshot-only', '--snapshot-from', 'export', '--export-bucket', 'dumps', '--export-prefix', 'cdc', '-s', 'snapshot.export.delay=0'], { env })
  t.equal(res.code, 1, res.stderr)
  t.equal(res.stdout, '', 'no record printed')
  t.match(res.stderr, /ERR_DDB_EXPORT_FAILED/)
  t.match(res.stderr, new RegExp(`export of table "${table}": ExportTableToPointInTime to s3://dumps/cdc failed: UnknownOperationException`))
  t.match(res.stderr, /point-in-time recovery/, 'the hint names what an export needs')
})

t.test('an export flag without --snapshot-from export is a usage error, exit 2', async (t) => {
  const res = await cli(['copy', '--from', 'a_table', '--to', 'b_table', '--export-bucket', 'dumps'], { env })
  t.equal(res.code, 2, res.stderr)
  t.match(res.stderr, /--export-bucket needs --snapshot-from export/)
})
