import t, { type Test } from 'tap'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CLI, shell } from '../../helpers/child.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { seed } from './cli.tables.js'

// A reader that exits early (| head) drops what it had not printed: the pipe's buffer and its own.
const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const dir = mkdtempSync(path.join(tmpdir(), 'cli-read-pipe-'))
const ITEMS = 25_000
const table = await ddb.createTable()
await seed(ddb.client, table, Array.from({ length: ITEMS }, (_, i) => ({ id: `k${i}`, n: i })))
const read = (args: string): string => `"${process.execPath}" "${CLI}" read --table ${table} --snapshot-only ${args}`

// Waits, reading nothing, until stdin (a 64 KiB pipe) holds 60,000 bytes: FIONREAD, as sh cannot ask.
const WAIT_FOR_FULL_PIPE = `python3 -c 'import fcntl, struct, termios, time
while struct.unpack("i", fcntl.ioctl(0, termios.FIONREAD, b"    "))[0] < 60000: time.sleep(0.05)'`

function keysOf (text: string): string[] {
  return text.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { key: { id: string } }).key.id)
}

async function headThenResume (t: Test, name: string, head: number, flags: string): Promise<{ printed: string[], resumed: string[] }> {
  const ckpt = path.join(dir, `${name}.ckpt`)
  // head starts once the pipe is full (as behind a slow reader), so it exits leaving lines it never printed.
  const first = await shell(`${read(`--checkpoint "${ckpt}" ${flags}`)} | { ${WAIT_FOR_FULL_PIPE}; head -n ${head}; }`, { env, cwd: dir })
  t.equal(first.code, 0, first.stderr)
  const printed = keysOf(first.stdout)
  t.equal(printed.length, head, `head printed ${head} lines`)
  const doc = JSON.parse(readFileSync(ckpt, 'utf8')) as { snapshot?: { done?: boolean } }
  t.not(doc.snapshot?.done, true, 'a reader that quit early leaves the snapshot unfinished in the checkpoint')
  const out = path.join(dir, `${name}.jsonl`)
  const second = await shell(`${read(`--checkpoint "${ckpt}" ${flags}`)} > "${out}"`, { env, cwd: dir })
  t.equal(second.code, 0, second.stderr)
  const resumed = keysOf(readFileSync(out, 'utf8'))
  const union = new Set([...printed, ...resumed])
  const missing = Array.from({ length: ITEMS }, (_, i) => `k${i}`).filter((k) => !union.has(k))
  t.same(missing.slice(0, 20), [], `every item is delivered by the two runs (${missing.length} missing)`)
  t.equal(new Set(resumed).size, resumed.length, 'the resumed run prints each item once')
  const duplicates = printed.length + resumed.length - union.size
  t.comment(`${name}: head printed ${printed.length}, resume printed ${resumed.length}, duplicates ${duplicates}`)
  const done = JSON.parse(readFileSync(ckpt, 'utf8')) as { snapshot?: { done?: boolean } }
  t.equal(done.snapshot?.done, true, 'the run that wrote everything to a file finished the snapshot')
  return { printed, resumed }
}

t.test('read --checkpoint | head -n 3, then a resume, delivers every item (default window)', async (t) => {
  await headThenResume(t, 'head3', 3, '')
})

t.test('with a small --ack-lag part of the output is checkpointed and only the tail is delivered again', async (t) => {
  // head -n 10000 reads about 1.6 MB: with a 1 MiB window some of it is checkpointed, the rest comes again.
  const { resumed } = await headThenResume(t, 'head10k', 10_000, '--ack-lag 1MiB')
  t.ok(resumed.length < ITEMS, `the first run checkpointed some lines (resume printed ${resumed.length} of ${ITEMS})`)
  t.ok(resumed.length > ITEMS - 10_000, 'and not all that head printed: the window re-delivers its tail')
})
