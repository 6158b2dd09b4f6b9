import t, { type Test } from 'tap'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI, shell, type Result } from '../../helpers/child.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { createUniverseTable, diffItems, PK, putItems, scanAll, universe, type Item } from '../../helpers/universe.js'

// The README's CLI block, run command by command as a user types it, so the README cannot drift from what works.
const README = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
const block = /^## CLI\n[\s\S]*?```sh\n([\s\S]*?)```/m.exec(README)?.[1]
if (block === undefined) throw new Error('README.md has no ```sh block under "## CLI"')
const commands = block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l !== '')

const ddb = await useDynamo(t)
const dir = mkdtempSync(path.join(tmpdir(), 'readme-cli-'))
// A user's project with the package installed: npx finds the command in node_modules/.bin, never the registry.
writeFileSync(path.join(dir, 'package.json'), '{ "name": "readme-run", "private": true }\n')
mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true })
const bin = path.join(dir, 'node_modules', '.bin', 'dynamodb-opencdc')
writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`)
chmodSync(bin, 0o755)
const env: NodeJS.ProcessEnv = { npm_config_offline: 'true', npm_config_update_notifier: 'false' }

// orders: the adversarial universe (every type, sets, binary, nested and empty containers, unicode names)
// plus enough generated items that `read | head` meets a full pipe and ends by EPIPE, as on a real table.
// 'proto-names' is left out: the codec turns a nested `__proto__` attribute into a prototype and `copy` refuses the item
// (ERR_DDB_INVALID_VALUE "a Object instance is not a DynamoDB type"), reported to the lead.
const seeded = universe({ key: 'S', count: 600 }).filter((item) => item.case?.S !== 'proto-names')
await createUniverseTable(ddb, 'S', { name: 'orders', stream: 'NEW_AND_OLD_IMAGES' })
await createUniverseTable(ddb, 'S', { name: 'orders_copy' })
await putItems(ddb.client, 'orders', seeded)

const run = async (command: string): Promise<Result> => await shell(`exec bash -o pipefail -c ${quote(command)}`, { env, cwd: dir, timeoutMs: 300_000 })
const same = async (t: Test, what: string): Promise<void> => {
  const diffs = diffItems(await scanAll(ddb.client, 'orders'), await scanAll(ddb.client, 'orders_copy'), PK)
  t.same(diffs.slice(0, 10), [], `${what}: orders_copy holds exactly the items of orders, types included (${diffs.length} differences)`)
}

function quote (s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`
}

function okRun (t: Test, command: string, res: Result): void {
  t.equal(res.signal, null, `${command}: ended by itself`)
  t.equal(res.code, 0, `${command}: exit 0; stderr: ${res.stderr.slice(-1500)}`)
}

/** Records for `write --input big.jsonl`: new orders and replacements of seeded ones, in plain opencdc/json. */
function bigJsonl (n: number): string {
  const lines: string[] = []
  for (let i = 0; i < n; i++) {
    const id = i % 10 === 0 ? (seeded[i / 10]?.[PK]?.S as string) : `big-${i}`
    const after = { [PK]: id, n: i, price: i / 8, name: `order ${i} 🙂`, tags: ['a', `t${i % 7}`], m: { nested: { deep: [i, { x: null, ok: i % 2 === 0 }] }, empty: {} }, l: [] }
    lines.push(JSON.stringify({ position: Buffer.from(`big-${i}`).toString('base64'), operation: i % 10 === 0 ? 'update' : 'create', metadata: { 'opencdc.collection': 'orders' }, key: { [PK]: id }, payload: { before: null, after } }))
  }
  return lines.join('\n') + '\n'
}

/** A dynamodb connector of pipeline.yaml on the endpoint the README exports. */
const connector = (id: string, type: string, table: string, extra = ''): string =>
  `      - { id: ${id}, type: ${type}, plugin: dynamodb, settings: { table: ${table}, aws.region: us-east-1, aws.url: "\${DYNAMODB_ENDPOINT}"${extra} } }\n`
const PIPELINE = 'version: 2.2\npipelines:\n  - id: orders-to-copy\n    status: running\n    connectors:\n' +
  connector('orders', 'source', 'orders', ', snapshot.only: true') + connector('copy', 'destination', 'orders_copy')

/** Live changes while `copy` runs: new items of every kind, a replacement and a delete. */
async function changeOrders (): Promise<void> {
  const fresh = universe({ key: 'S', count: 20, seed: 7 }).filter((item) => item.case?.S !== 'proto-names').map((item, i): Item => ({ ...item, [PK]: { S: `live-${i}` } }))
  await putItems(ddb.client, 'orders', fresh)
  const first = seeded[0] as Item
  await putItems(ddb.client, 'orders', [{ ...first, replaced: { BOOL: true } }])
  const { DeleteItemCommand } = await import('@aws-sdk/client-dynamodb')
  await ddb.client.send(new DeleteItemCommand({ TableName: 'orders', Key: { [PK]: seeded[1]?.[PK] as Item[string] } }))
}

async function until (ok: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 480; i++) {
    if (await ok()) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`gave up waiting: ${what}`)
}

const sameNow = async (): Promise<boolean> => diffItems(await scanAll(ddb.client, 'orders'), await scanAll(ddb.client, 'orders_copy'), PK).length === 0

t.test('the README CLI block runs literally against DynamoDB Local and copies orders exactly', async (t) => {
  t.ok(commands.length >= 8, `the block has its commands (${commands.length})`)
  const seen = new Set<string>()
  for (const command of commands) {
    await t.test(command, async (t) => {
      if (/^npx dynamodb-opencdc local$/.test(command)) {
        // It runs DynamoDB Local in the foreground until Ctrl-C on port 8000 (shared on this machine):
        // the test's own embedded instance stands in for it (cli.local.test.ts covers `local`).
        seen.add('local')
        t.pass('skipped: the embedded DynamoDB Local of this test plays its part')
        return
      }
      const exported = /^export DYNAMODB_ENDPOINT=(\S+)$/.exec(command)
      if (exported !== null) {
        t.equal(exported[1], 'http://127.0.0.1:8000', 'the endpoint `local` prints')
        env.DYNAMODB_ENDPOINT = ddb.endpoint
        seen.add('export')
        return
      }
      t.match(command, /^npx dynamodb-opencdc /, 'a dynamodb-opencdc command')
      if (command.includes('--input big.jsonl')) writeFileSync(path.join(dir, 'big.jsonl'), bigJsonl(1000))
      if (/ run pipeline\.yaml/.test(command)) writeFileSync(path.join(dir, 'pipeline.yaml'), PIPELINE)
      if (/ copy .*--until-idle/.test(command)) {
        // While copy runs: once it has the snapshot, change orders; the changes must reach orders_copy too.
        let ended = false
        const running = run(command).finally(() => { ended = true })
        // The copy's checkpoint says its snapshot is done (its stream anchor precedes the Scan): changes made now must come through CDC.
        // (Comparing the tables is no signal here: the write step before already made orders_copy equal to orders.)
        const snapshotDone = (): boolean => { try { return (JSON.parse(readFileSync(path.join(dir, 'copy.ckpt'), 'utf8')) as { snapshot?: { done?: boolean } }).snapshot?.done === true } catch { return false } }
        await until(async () => ended || (snapshotDone() && await sameNow()), 'copy to deliver the snapshot')
        if (!ended) await changeOrders()
        const res = await running
        okRun(t, command, res)
        await same(t, 'after copy (snapshot, then live changes)')
        seen.add('copy')
        return
      }
      const res = await run(command)
      if (/ \| head$/.test(command)) {
        okRun(t, command, res)
        t.equal(res.stdout.split('\n').filter((l) => l !== '').length, 10, 'head printed 10 records and the read ended')
        seen.add('head')
        return
      }
      if (/ write --table orders_copy < orders\.jsonl$/.test(command)) {
        okRun(t, command, res)
        await same(t, 'after read > orders.jsonl, write < orders.jsonl')
        seen.add('write-text')
        return
      }
      okRun(t, command, res)
      if (/ read --table orders --snapshot-only > orders\.jsonl$/.test(command)) {
        const lines = readFileSync(path.join(dir, 'orders.jsonl'), 'utf8').split('\n').filter((l) => l !== '')
        t.equal(lines.length, seeded.length, 'one line per item')
        seen.add('read-file')
      }
      if (command.includes('--input big.jsonl')) {
        const items = await scanAll(ddb.client, 'orders')
        t.equal(items.filter((i) => i[PK]?.S?.startsWith('big-') === true).length, 900, 'big.jsonl created its 900 new orders')
        seen.add('write-rate')
      }
      if (/ run pipeline\.yaml/.test(command)) {
        await same(t, 'after run pipeline.yaml (orders → orders_copy)')
        seen.add('run')
      }
    })
  }
  t.same([...seen].sort(), ['copy', 'export', 'head', 'local', 'read-file', 'run', 'write-rate', 'write-text'], 'every command of the block was met and checked')
})
