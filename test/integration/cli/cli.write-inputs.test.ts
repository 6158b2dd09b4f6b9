import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { useDynamo } from '../../helpers/dynamo.js'
import { exportTable, writeExportDir } from '../../helpers/export.js'
import { useS3 } from '../../helpers/s3.js'
import { PK, createUniverseTable, diffItems, putItems, scanAll, universe } from '../../helpers/universe.js'
import { cli } from './cli.spawn.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const dir = mkdtempSync(path.join(tmpdir(), 'cli-inputs-'))
const source = await createUniverseTable(ddb, 'S')
const items = universe({ key: 'S', count: 60 })
await putItems(ddb.client, source, items)

function awsCli (): string | undefined {
  try { return execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) } catch { return undefined }
}

t.test('real `aws dynamodb scan` output (paginated by --page-size) written by `write` equals the source table', { skip: awsCli() === undefined ? 'the AWS CLI is not installed (apt-get install -y awscli)' : false }, async (t) => {
  const out = execFileSync('aws', ['dynamodb', 'scan', '--table-name', source, '--endpoint-url', ddb.endpoint, '--page-size', '7', '--output', 'json'], {
    encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' }
  })
  const file = path.join(dir, 'scan.json')
  writeFileSync(file, out)
  const target = await createUniverseTable(ddb, 'S')
  const res = await cli(['write', '--table', target, '--input', file], { env })
  t.equal(res.code, 0, res.stderr)
  const diffs = diffItems(items, await scanAll(ddb.client, target), PK)
  t.same(diffs, [], JSON.stringify(diffs.slice(0, 4)))
})

t.test('scan output given as opencdc-jsonl is refused with the flag that reads it (exit 2)', async (t) => {
  const file = path.join(dir, 'page.json')
  writeFileSync(file, '{\n    "Items": [],\n    "Count": 0\n}\n')
  const res = await cli(['write', '--table', source, '--input', file, '--input-format', 'opencdc-jsonl'], { env })
  t.equal(res.code, 2)
  t.match(res.stderr, /this looks like `aws dynamodb scan` \(or `query`\) output: use --input-format aws-scan/)
})

t.test('write --input <export folder> and --input s3://… load a whole export equal to the source table', async (t) => {
  const s3 = await useS3(t)
  const exp = await exportTable(ddb.client, source, { prefix: 'x', fileCount: 2 })
  const folder = writeExportDir(mkdtempSync(path.join(dir, 'exp-')), exp)
  const fromDir = await createUniverseTable(ddb, 'S')
  const r1 = await cli(['write', '--table', fromDir, '--input', folder], { env })
  t.equal(r1.code, 0, r1.stderr)
  const d1 = diffItems(items, await scanAll(ddb.client, fromDir), PK)
  t.same(d1, [], JSON.stringify(d1.slice(0, 4)))
  await s3.createBucket('dumps')
  for (const [key, body] of exp.files) await s3.put('dumps', key, body)
  const fromS3 = await createUniverseTable(ddb, 'S')
  const r2 = await cli(['write', '--table', fromS3, '--input', `s3://dumps/${exp.base}/`, '-s', `s3.endpoint=${s3.endpoint}`, '--region', 'us-east-1'],
    { env: { ...env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } })
  t.equal(r2.code, 0, r2.stderr)
  t.same(diffItems(items, await scanAll(ddb.client, fromS3), PK), [])
})
