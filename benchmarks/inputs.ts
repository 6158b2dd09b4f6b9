// inputs: `write` of the same items from scan output, an export folder and opencdc/json lines (items/s,
// peak RSS of the CLI process), plus parsing alone. Run: npm run build && node dist/benchmarks/inputs.js [items]
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createWriteStream, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import { createDynamoDBClient } from '../src/aws/clients.js'
import { startLocalDynamoDB } from '../src/local/dynamodb-local.js'

const COUNT = Number(process.argv[2] ?? 100_000)
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'bench-inputs-'))

/** ~1 KB items of every common type, as DynamoDB JSON. */
function item (i: number): Record<string, unknown> {
  return {
    id: { S: `item-${i}` }, n: { N: `${i}.123456789012345678901234567890` }, s: { S: 'x'.repeat(600) },
    tags: { SS: ['a', 'b', `t${i % 10}`] }, b: { B: Buffer.from(`bytes-${i}`).toString('base64') },
    m: { M: { k: { S: 'v' }, l: { L: [{ N: '1' }, { BOOL: true }, { NULL: true }] } } }
  }
}

async function writeLines (path: string, lines: (i: number) => string): Promise<void> {
  const out = createWriteStream(path)
  for (let i = 0; i < COUNT; i++) if (!out.write(lines(i))) await once(out, 'drain')
  out.end()
  await once(out, 'finish')
}

async function makeInputs (): Promise<Record<string, string>> {
  const scan = join(dir, 'scan.json')
  // Pretty-printed like the AWS CLI (4-space indent), in pages of 1,000 items concatenated.
  await writeLines(scan, (i) => {
    const body = JSON.stringify(item(i), null, 4).split('\n').map((l) => '        ' + l).join('\n')
    const first = i % 1000 === 0
    const last = i % 1000 === 999 || i === COUNT - 1
    const n = Math.min(1000, COUNT - (i - (i % 1000)))
    return (first ? '{\n    "Items": [\n' : ',\n') + body + (last ? `\n    ],\n    "Count": ${n},\n    "ScannedCount": ${n},\n    "ConsumedCapacity": null\n}\n` : '')
  })
  const jsonl = join(dir, 'items.jsonl')
  await writeLines(jsonl, (i) => JSON.stringify({ position: null, operation: 'snapshot', metadata: {}, key: null, payload: { before: null, after: item(i) } }) + '\n')
  const base = join(dir, 'export', 'AWSDynamoDB', 'bench')
  mkdirSync(join(base, 'data'), { recursive: true })
  const files = 8
  const manifest: string[] = []
  for (let f = 0; f < files; f++) {
    const lines: string[] = []
    for (let i = f; i < COUNT; i += files) lines.push(JSON.stringify({ Item: item(i) }))
    const gz = gzipSync(lines.join('\n') + '\n')
    writeFileSync(join(base, 'data', `f${f}.json.gz`), gz)
    manifest.push(JSON.stringify({ itemCount: lines.length, md5Checksum: createHash('md5').update(gz).digest('base64'), dataFileS3Key: `AWSDynamoDB/bench/data/f${f}.json.gz` }))
  }
  writeFileSync(join(base, 'manifest-files.json'), manifest.join('\n') + '\n')
  writeFileSync(join(base, 'manifest-summary.json'), JSON.stringify({ manifestFilesS3Key: 'AWSDynamoDB/bench/manifest-files.json', itemCount: COUNT, outputFormat: 'DYNAMODB_JSON' }))
  return { 'scan output': scan, 'export folder': base, 'opencdc/json lines (typed)': jsonl }
}

function timed (args: string[], env: NodeJS.ProcessEnv): { seconds: number, rssMB: number } {
  const started = process.hrtime.bigint()
  const res = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] })
  const out = res.stderr
  if (res.status !== 0) throw new Error(`${args.join(' ')} failed: ${out.slice(-2000)}`)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(out)
  return { seconds, rssMB: Number(rss?.[1] ?? 0) / 1024 }
}

const inputs = await makeInputs()
const local = await startLocalDynamoDB()
const client = createDynamoDBClient({ endpoint: local.endpoint })
try {
  console.log(`${COUNT} items; scan output ${(statSync(inputs['scan output'] as string).size / 1e6).toFixed(0)} MB, jsonl ${(statSync(inputs['opencdc/json lines (typed)'] as string).size / 1e6).toFixed(0)} MB`)
  console.log('| input | parse only: items/s | parse peak RSS MB | write to table: items/s | write peak RSS MB |\n|---|---|---|---|---|')
  for (const [name, path] of Object.entries(inputs)) {
    const format = name.startsWith('opencdc') ? ['--format-options', 'opencdc.dynamodbJson=true'] : []
    const parseScript = join(dir, 'parse.mjs')
    const entry = fileURLToPath(new URL('../src/index.js', import.meta.url))
    writeFileSync(parseScript, `import { createReadStream } from 'node:fs'\nimport { parseDynamoDBJSON, readExport } from ${JSON.stringify(entry)}\nconst p = process.argv[2]\nconst s = p.endsWith('bench') ? readExport(p) : createReadStream(p).pipe(parseDynamoDBJSON({ dynamodbJson: ${format.length > 0} }))\nlet n = 0\nfor await (const r of s) n++\nif (n !== ${COUNT}) throw new Error('got ' + n)\n`)
    const parse = timed([parseScript, path], {})
    const table = `bench_${Math.random().toString(36).slice(2, 8)}`
    await client.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
    const write = timed([CLI, 'write', '--table', table, '--input', path, '-q', ...format], { DYNAMODB_ENDPOINT: local.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' })
    console.log(`| ${name} | ${Math.round(COUNT / parse.seconds)} | ${parse.rssMB.toFixed(0)} | ${Math.round(COUNT / write.seconds)} | ${write.rssMB.toFixed(0)} |`)
  }
} finally {
  client.destroy()
  await local.stop()
}
