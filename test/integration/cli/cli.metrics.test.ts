import t from 'tap'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { setTimeout as sleep } from 'node:timers/promises'
import { toAttributeMap } from '../../../src/model/codec.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { cli, waitForOutput } from './cli.spawn.js'
import { seed } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }

/** One sample's value from a Prometheus text exposition, or undefined when the series is absent. */
function sample (text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line)
    if (m === null || m[1] !== name) continue
    const got = Object.fromEntries([...(m[2] as string).matchAll(/(\w+)="([^"]*)"/g)].map((p) => [p[1], p[2]]))
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3])
  }
  return undefined
}

/** Scrapes until `ok` holds (the copy is live, so counters move between scrapes). */
async function scrapeUntil (url: string, ok: (text: string) => boolean, what: string): Promise<string> {
  let text = ''
  for (let i = 0; i < 300; i++) {
    const res = await fetch(url)
    text = await res.text()
    if (res.status === 200 && ok(text)) return text
    await sleep(100)
  }
  throw new Error(`never saw ${what}; last scrape:\n${text}`)
}

t.test('copy --metrics serves /metrics whose counters match the records copied, with a shard lag gauge', async (t) => {
  const from = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 120 }, (_, i) => ({ id: `k${i}`, v: `value ${i}` })))
  const run = cli(['copy', '--from', from, '--to', to, '--metrics', '127.0.0.1:0', '-s', 'recordsPollingPeriod=200ms', '-v'], { env })
  const line = await waitForOutput(run.child, /metrics on (http:\S+)/, 30_000, 'stderr')
  const url = (/metrics on (http:\S+)/.exec(line) as RegExpExecArray)[1] as string
  await waitForOutput(run.child, /snapshot scan complete: 120 items read/, 30_000, 'stderr')

  const snap = await scrapeUntil(url, (x) => sample(x, 'dynamodb_opencdc_records_written_total', { table: to }) === 120, '120 records written')
  t.equal(sample(snap, 'dynamodb_opencdc_records_read_total', { table: from, phase: 'snapshot' }), 120, 'snapshot reads counted per table and phase')
  t.ok((sample(snap, 'dynamodb_opencdc_requests_total', { api: 'Scan' }) ?? 0) >= 1, 'Scan calls counted')
  t.ok((sample(snap, 'dynamodb_opencdc_requests_total', { api: 'BatchWriteItem' }) ?? 0) >= 5, 'at least 120/25 BatchWriteItem calls counted')
  t.equal(sample(snap, 'dynamodb_opencdc_snapshot_segments_done', { table: from }), sample(snap, 'dynamodb_opencdc_snapshot_segments', { table: from }), 'every segment done')

  // Changes made after the scan can only arrive through DynamoDB Streams.
  for (let i = 0; i < 30; i++) await ddb.client.send(new PutItemCommand({ TableName: from, Item: toAttributeMap({ id: `new${i}`, n: i }) }))
  const live = await scrapeUntil(url, (x) => sample(x, 'dynamodb_opencdc_records_written_total', { table: to }) === 150, '150 records written')
  t.equal(sample(live, 'dynamodb_opencdc_records_read_total', { table: from, phase: 'cdc' }), 30, 'the 30 changes were read from the stream')
  t.match(live, new RegExp(`^dynamodb_opencdc_shard_lag_seconds\\{table="${from}",shard="[^"]+"\\} [0-9.e+-]+$`, 'm'), 'a per-shard lag gauge is present')
  t.ok((sample(live, 'dynamodb_opencdc_shards_tracked', { table: from }) ?? 0) >= 1, 'shards tracked')
  t.ok((sample(live, 'dynamodb_opencdc_requests_total', { api: 'GetRecords' }) ?? 0) >= 1, 'GetRecords calls counted')
  t.equal(sample(live, 'dynamodb_opencdc_requests_in_flight', { api: 'BatchWriteItem' }), 0, 'no write in flight once everything is written')

  run.child.kill('SIGINT')
  const done = await run
  t.equal(done.code, 0, done.stderr)
})

t.test('run --metrics serves /metrics for the dynamodb connectors of a pipeline.yaml', async (t) => {
  const from = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 40 }, (_, i) => ({ id: `k${i}` })))
  const endpoint = '$' + '{DYNAMODB_ENDPOINT}' // substituted by run from the environment
  const dir = t.testdir({
    'pipeline.yaml': ['version: 2.2', 'pipelines:', '  - id: p', '    status: running', '    connectors:',
      '      - id: src', '        type: source', '        plugin: dynamodb', '        settings:', `          table: ${from}`, `          aws.url: ${endpoint}`,
      '      - id: dst', '        type: destination', '        plugin: dynamodb', '        settings:', `          table: ${to}`, `          aws.url: ${endpoint}`, ''].join('\n')
  })
  // The source goes on with the stream after the snapshot, so the run is alive to be scraped; SIGINT ends it.
  const run = cli(['run', `${dir}/pipeline.yaml`, '--metrics', '127.0.0.1:0', '--until-idle', '60s', '-v'], { env })
  const line = await waitForOutput(run.child, /metrics on (http:\S+)/, 30_000, 'stderr')
  const url = (/metrics on (http:\S+)/.exec(line) as RegExpExecArray)[1] as string
  const text = await scrapeUntil(url, (x) => sample(x, 'dynamodb_opencdc_records_written_total', { table: to }) === 40, '40 records written')
  t.equal(sample(text, 'dynamodb_opencdc_records_read_total', { table: from, phase: 'snapshot' }), 40, 'the source side is counted in the same registry')
  run.child.kill('SIGINT')
  const done = await run
  t.equal(done.code, 0, done.stderr)
})
