import t from 'tap'
import { BatchWriteItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { useDynamo } from '../../helpers/dynamo.js'
import { cliResult } from '../../helpers/child.js'
import { dump } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const dir = mkdtempSync(path.join(tmpdir(), 'cli-text-'))

const b = (...bytes: number[]): AttributeValue => ({ B: Uint8Array.from(bytes) })
// Written through the low-level API so DynamoDB Local keeps nested number text as given (007, 5., +5, .5).
const ODD_NUMBERS = ['007', '5.', '+5', '.5', '1.50', '1e2', '-0.0', '12345678901234567890123456789012345678']

function item (key: AttributeValue, i: number): Record<string, AttributeValue> {
  return {
    id: key,
    s: { S: `text ${i} ✓ "quoted" \\ \u0000` },
    n: { N: i % 2 === 0 ? '-1.5' : '99999999999999999999999999999999999999' },
    bin: b(0, 255, i),
    empty: { B: new Uint8Array() },
    t: { BOOL: true },
    nul: { NULL: true },
    ss: { SS: ['a', 'b.c', `x${i}`] },
    ns: { NS: ['1', '2.5', '-1E-130'] },
    bs: { BS: [Uint8Array.of(1), Uint8Array.of(2, 3)] },
    l: { L: [...ODD_NUMBERS.map((N) => ({ N })), b(7), { SS: ['in list'] }, { L: [{ BS: [Uint8Array.of(9)] }] }, { M: {} }, { L: [] }] },
    m: { M: { 'a.b': { NS: ['3'] }, 'x[0]': b(1), '"q"': { M: { deep: { SS: ['d'] }, num: { N: '0005.000' } } }, 0: { N: '.5' } } },
    'name.with[odd]"chars"': { SS: ['odd'] }
  }
}

async function put (client: DynamoDBClient, table: string, items: Array<Record<string, AttributeValue>>): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }))
    while (requests.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }))
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests
    }
  }
}

// The oracle: DynamoDB values compared by type, numbers by exact decimal value (BigInt, reduced), sets unordered.
function decimal (text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (m === null) throw new Error(`not a decimal: ${text}`)
  let n = BigInt((m[2] ?? '') + (m[3] ?? '') || '0')
  let exp = Number(m[4] ?? '0') - (m[3] ?? '').length
  if (n === 0n) return '0'
  while (n % 10n === 0n) { n /= 10n; exp++ }
  return `${m[1] === '-' ? '-' : ''}${n}e${exp}`
}
function canon (v: AttributeValue): unknown {
  if (v.N !== undefined) return { N: decimal(v.N) }
  if (v.NS !== undefined) return { NS: v.NS.map(decimal).sort() }
  if (v.SS !== undefined) return { SS: [...v.SS].sort() }
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('hex') }
  if (v.BS !== undefined) return { BS: v.BS.map((x) => Buffer.from(x).toString('hex')).sort() }
  if (v.L !== undefined) return { L: v.L.map(canon) }
  if (v.M !== undefined) return { M: canonItem(v.M) }
  return v
}
function canonItem (item: Record<string, AttributeValue>): unknown {
  return Object.fromEntries(Object.keys(item).sort().map((k) => [k, canon(item[k] as AttributeValue)]))
}
const table = async (client: DynamoDBClient, name: string): Promise<string[]> => await dump(client, name, canonItem)

const KEYS = { S: (i: number): AttributeValue => ({ S: `k${i}` }), B: (i: number): AttributeValue => b(0, i, 255) } as const

for (const keyType of ['B', 'S'] as const) {
  t.test(`read --snapshot-only > f, write < f gives an identical table of every type (${keyType} key, default opencdc/json)`, async (t) => {
    const from = await ddb.createTable({ hash: ['id', keyType] })
    const to = await ddb.createTable({ hash: ['id', keyType] })
    await put(ddb.client, from, Array.from({ length: 30 }, (_, i) => item(KEYS[keyType](i), i)))
    const read = await cliResult(['read', '--table', from, '--snapshot-only', '-q'], { env })
    t.equal(read.code, 0, read.stderr)
    const lines = read.stdout.trimEnd().split('\n')
    t.equal(lines.length, 30)
    const invalid = lines.filter((l) => { try { JSON.parse(l); return false } catch { return true } })
    t.same(invalid, [], 'every line is valid JSON (nested number text such as 007 and .5 included)')
    const file = path.join(dir, `${from}.jsonl`)
    writeFileSync(file, read.stdout)
    const write = await cliResult(['write', '--table', to, '-q'], { env, input: readFileSync(file) })
    t.equal(write.code, 0, write.stderr)
    const [a, c] = [await table(ddb.client, from), await table(ddb.client, to)]
    t.equal(c.length, 30)
    t.same(c, a, 'same items, same types, same numbers')
  })
}

t.test('without type hints a binary key fails, and the error names the lost type and the options', async (t) => {
  const from = await ddb.createTable({ hash: ['id', 'B'] })
  const to = await ddb.createTable({ hash: ['id', 'B'] })
  await put(ddb.client, from, [item(b(1, 2), 0)])
  const read = await cliResult(['read', '--table', from, '--snapshot-only', '-q', '--format-options', 'opencdc.typeHints=false'], { env })
  t.equal(read.code, 0, read.stderr)
  t.notMatch(read.stdout, /dynamodb\.types/)
  const write = await cliResult(['write', '--table', to, '-q'], { env, input: read.stdout })
  t.not(write.code, 0)
  t.match(write.stderr, /key attribute "id" must be binary \(B\).*got string.*plain JSON lost the type: use the default type hints.*opencdc\.dynamodbJson=true/)
})

t.test('run: a builtin:file source reads back what a file destination wrote with sdk.record.format.options', async (t) => {
  const from = await ddb.createTable({ hash: ['id', 'B'] })
  const to = await ddb.createTable({ hash: ['id', 'B'] })
  await put(ddb.client, from, Array.from({ length: 10 }, (_, i) => item(KEYS.B(i), i)))
  const file = path.join(dir, `${from}.typed.jsonl`)
  const yaml = (name: string, body: string): string => { const f = path.join(dir, name); writeFileSync(f, `version: 2.2\npipelines:\n${body}`); return f }
  const out = yaml('typed-out.yaml', `  - id: out
    connectors:
      - { id: src, type: source, plugin: dynamodb, settings: { table: ${from}, snapshot.only: "true" } }
      - { id: dst, type: destination, plugin: builtin:file, settings: { path: ${file}, sdk.record.format.options: "opencdc.dynamodbJson=true" } }
`)
  const first = await cliResult(['run', out, '-q'], { env })
  t.equal(first.code, 0, first.stderr)
  t.match(readFileSync(file, 'utf8'), /"id":\{"B":/, 'the file holds typed DynamoDB JSON')
  const back = yaml('typed-in.yaml', `  - id: in
    connectors:
      - { id: src, type: source, plugin: builtin:file, settings: { path: ${file}, sdk.record.format.options: "opencdc.dynamodbJson=true" } }
      - { id: dst, type: destination, plugin: dynamodb, settings: { table: ${to} } }
`)
  const second = await cliResult(['run', back, '-q'], { env })
  t.equal(second.code, 0, second.stderr)
  t.same(await table(ddb.client, to), await table(ddb.client, from))
})
