import t from 'tap'
import { parsePipelineYaml } from '../../../src/cli/support/pipeline-yaml.js'

const SEED_SHAPE = `
version: 2.2
pipelines:
  - id: example
    status: running
    name: orders to file
    description: the seed README's shape
    connectors:
      - id: orders
        type: source
        plugin: "dynamodb"
        settings:
          aws.region: "us-east-1"
          table: "orders"
          discoveryPollingPeriod: "10s"
          skipSnapshot: "false"
          sdk.batch.size: "0"
      - id: out
        type: destination
        plugin: builtin:file
        settings:
          path: ./orders.jsonl
`

t.test('reads the seed README pipeline shape into sources and destinations', async (t) => {
  const cfg = parsePipelineYaml(SEED_SHAPE, { env: {} })
  t.same(cfg.stopped, [])
  t.equal(cfg.pipelines.length, 1)
  const p = cfg.pipelines[0]!
  t.equal(p.id, 'example')
  t.same(p.sources, [{ id: 'example:orders', type: 'source', kind: 'dynamodb', plugin: 'dynamodb', settings: { 'aws.region': 'us-east-1', table: 'orders', discoveryPollingPeriod: '10s', skipSnapshot: 'false', 'sdk.batch.size': '0' } }])
  t.same(p.destinations, [{ id: 'example:out', type: 'destination', kind: 'file', plugin: 'builtin:file', settings: { path: './orders.jsonl' } }])
})

t.test('turns YAML numbers, booleans and nulls into the strings Conduit passes', async (t) => {
  const cfg = parsePipelineYaml(`
version: 2.2
pipelines:
  - id: p
    connectors:
      - { id: s, type: source, plugin: dynamodb, settings: { table: t, skipSnapshot: true, sdk.batch.size: 100, sdk.rate.perSecond: 2.50, snapshot.limit: 1e3, aws.url: null, x: 0x10 } }
      - { id: d, type: destination, plugin: dynamodb, settings: { table: u } }
`, { env: {} })
  t.same(cfg.pipelines[0]!.sources[0]!.settings, { table: 't', skipSnapshot: 'true', 'sdk.batch.size': '100', 'sdk.rate.perSecond': '2.50', 'snapshot.limit': '1e3', 'aws.url': '', x: '0x10' })
})

t.test('keeps the version text exactly (2.10 is not 2.1)', async (t) => {
  t.doesNotThrow(() => parsePipelineYaml('version: 2.10\npipelines:\n  - id: p\n    status: stopped\n', { env: {} }))
})

t.test('accepts the dynamodb plugin under its Conduit spellings', async (t) => {
  for (const plugin of ['dynamodb', 'builtin:dynamodb', 'standalone:dynamodb', 'standalone:conduit-connector-dynamodb@v0.3.0', 'github.com/conduitio-labs/conduit-connector-dynamodb', 'dynamodb@latest']) {
    const cfg = parsePipelineYaml(`version: 2.2\npipelines:\n  - id: p\n    connectors:\n      - { id: s, type: source, plugin: "${plugin}", settings: { table: t } }\n      - { id: d, type: destination, plugin: file, settings: { path: o } }\n`, { env: {} })
    t.equal(cfg.pipelines[0]!.sources[0]!.kind, 'dynamodb', plugin)
    t.equal(cfg.pipelines[0]!.destinations[0]!.kind, 'file', plugin)
  }
})

// eslint-disable-next-line no-template-curly-in-string -- the name quotes the literal ${VAR} syntax
t.test('expands ${VAR} and $VAR in setting values from the environment', async (t) => {
  const cfg = parsePipelineYaml(`version: 2.2
pipelines:
  - id: p
    connectors:
      - { id: s, type: source, plugin: dynamodb, settings: { table: "\${TABLE}_v2", aws.url: $DYNAMODB_ENDPOINT, aws.region: "\${UNSET}" } }
      - { id: d, type: destination, plugin: builtin:file, settings: { path: "/tmp/\${TABLE}.jsonl" } }
`, { env: { TABLE: 'orders', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' } })
  t.same(cfg.pipelines[0]!.sources[0]!.settings, { table: 'orders_v2', 'aws.url': 'http://127.0.0.1:8000', 'aws.region': '' })
  t.equal(cfg.pipelines[0]!.destinations[0]!.settings.path, '/tmp/orders.jsonl')
})

t.test('skips stopped pipelines and lists them', async (t) => {
  const cfg = parsePipelineYaml(`version: 2.2
pipelines:
  - id: off
    status: stopped
  - id: on
    connectors:
      - { id: s, type: source, plugin: builtin:file, settings: { path: in.jsonl } }
      - { id: d, type: destination, plugin: dynamodb, settings: { table: t } }
`, { env: {} })
  t.same(cfg.stopped, ['off'])
  t.same(cfg.pipelines.map((p) => p.id), ['on'])
})

t.test('reads version 1 files whose pipelines and connectors are maps keyed by id', async (t) => {
  const cfg = parsePipelineYaml(`version: 1.1
pipelines:
  p1:
    status: running
    connectors:
      src:
        type: source
        plugin: builtin:file
        settings: { path: in.jsonl }
      dst:
        type: destination
        plugin: builtin:dynamodb
        settings: { table: t }
`, { env: {} })
  t.same(cfg.pipelines[0]!.sources.map((c) => c.id), ['p1:src'])
  t.same(cfg.pipelines[0]!.destinations.map((c) => c.id), ['p1:dst'])
})

t.test('reads several YAML documents and several pipelines', async (t) => {
  const one = (id: string): string => `version: 2.2\npipelines:\n  - id: ${id}\n    connectors:\n      - { id: s, type: source, plugin: builtin:file, settings: { path: a } }\n      - { id: d, type: destination, plugin: builtin:file, settings: { path: b } }\n`
  const cfg = parsePipelineYaml(one('a') + '---\n' + one('b'), { env: {} })
  t.same(cfg.pipelines.map((p) => p.id), ['a', 'b'])
})

t.test('a builtin:file dlq becomes the dead-letter path; builtin:log is the default', async (t) => {
  const base = 'version: 2.2\npipelines:\n  - id: p\n    connectors:\n      - { id: s, type: source, plugin: builtin:file, settings: { path: a } }\n      - { id: d, type: destination, plugin: dynamodb, settings: { table: t } }\n'
  t.equal(parsePipelineYaml(base + '    dlq: { plugin: builtin:file, settings: { path: dead.jsonl } }\n', { env: {} }).pipelines[0]!.deadLetterPath, 'dead.jsonl')
  t.equal(parsePipelineYaml(base + '    dlq: { plugin: builtin:log, window-size: 1 }\n', { env: {} }).pipelines[0]!.deadLetterPath, undefined)
})
