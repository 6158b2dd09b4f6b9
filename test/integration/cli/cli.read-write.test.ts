import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { PreciseNumber, type StructuredData } from '../../../src/model/record.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { splitSummary } from '../../helpers/summary.js'
import { randomItem, rng } from '../../helpers/random.js'
import { BIN_PATH } from './cli.spawn.js'
import { dump, seed } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }

/** `read … | write …` as a shell would run it; resolves with both exit codes and stderr. */
function pipe (readArgs: string[], writeArgs: string[]): Promise<{ read: number | null, write: number | null, stderr: string }> {
  const opts = { env: { ...process.env, ...env } }
  const reader = spawn(process.execPath, [BIN_PATH, 'read', ...readArgs], { ...opts, stdio: ['ignore', 'pipe', 'pipe'] })
  const writer = spawn(process.execPath, [BIN_PATH, 'write', ...writeArgs], { ...opts, stdio: ['pipe', 'pipe', 'pipe'] })
  reader.stdout.pipe(writer.stdin)
  let stderr = ''
  reader.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  writer.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const exit = (p: ChildProcess): Promise<number | null> => new Promise((resolve) => p.on('close', resolve))
  return Promise.all([exit(reader), exit(writer)]).then(([read, write]) => ({ read, write, stderr }))
}

t.test('read | write between two tables yields an identical table, every attribute type included', async (t) => {
  const r = rng(7)
  const items = Array.from({ length: 2000 }, (_, i) => ({ ...randomItem(r), id: `item-${i}` }))
  const from = await ddb.createTable()
  const to = await ddb.createTable()
  await seed(ddb.client, from, items)
  const lossless = ['--format-options', 'opencdc.dynamodbJson=true']
  const res = await pipe(['--table', from, '--snapshot-only', ...lossless], ['--table', to, ...lossless])
  t.same([res.read, res.write], [0, 0], res.stderr)
  // stderr is not a TTY here, so nothing but the two summary lines should be printed — a Node warning (e.g. MaxListenersExceeded) included.
  const { summaries, rest } = splitSummary(res.stderr)
  t.equal(rest, '', 'nothing on stderr but the summary lines')
  t.same(summaries.map((s) => [s.command, s.read, s.written, s.deadLettered, s.exit]).sort(), [['read', 2000, 2000, 0, 0], ['write', 2000, 2000, 0, 0]], 'one summary per command, counting every record')
  const [a, b] = await Promise.all([dump(ddb.client, from), dump(ddb.client, to)])
  t.equal(b.length, 2000)
  t.same(b, a, 'the copy equals the original item for item, attribute for attribute')
})

t.test('the default opencdc/json round trip keeps strings, 38-digit numbers, booleans, nulls, lists and maps exactly', async (t) => {
  const items: StructuredData[] = [
    { id: 'a', n: new PreciseNumber('12345678901234567890.123456789012345678'), tiny: new PreciseNumber('1E-130'), ok: true, nothing: null, list: ['x', 1, false, { deep: ['y'] }], map: { z: 'é🙂"\\' } },
    { id: 'b', n: -0.5, big: new PreciseNumber('99999999999999999999999999999999999999') }
  ]
  const from = await ddb.createTable()
  const to = await ddb.createTable()
  await seed(ddb.client, from, items)
  const res = await pipe(['--table', from, '--snapshot-only'], ['--table', to])
  t.same([res.read, res.write], [0, 0], res.stderr)
  t.same(await dump(ddb.client, to), await dump(ddb.client, from))
})
