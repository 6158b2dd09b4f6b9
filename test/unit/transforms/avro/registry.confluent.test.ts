import t from 'tap'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable, Writable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ConfluentSchemaRegistry, createAvroDecoder, createAvroEncoder } from '../../../../src/transforms/index.js'
import { createRecord, type OpenCDCRecord } from '../../../../src/model/record.js'

/** A small Schema Registry speaking the documented REST endpoints, counting requests. */
async function startRegistry (t: { teardown: (fn: () => Promise<void>) => void }, opts: { versionInPost?: boolean } = {}) {
  const subjects = new Map<string, string[]>()
  const ids = new Map<string, number>()
  const requests: string[] = []
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' })
    res.end(JSON.stringify(body))
  }
  const server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (c) => { body += c })
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`)
      const url = new URL(req.url ?? '/', 'http://x')
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
      if (req.headers['content-type'] !== 'application/vnd.schemaregistry.v1+json') return send(res, 415, { error_code: 415, message: 'bad content type' })
      if (req.method === 'POST' && parts[0] === 'subjects' && parts.length === 3 && parts[2] === 'versions') {
        const schema = (JSON.parse(body) as { schema: string }).schema
        try { JSON.parse(schema) } catch { return send(res, 422, { error_code: 42201, message: 'Invalid schema' }) }
        const list = subjects.get(parts[1] as string) ?? []
        if (!list.includes(schema)) list.push(schema)
        subjects.set(parts[1] as string, list)
        if (!ids.has(schema)) ids.set(schema, ids.size + 1)
        return send(res, 200, opts.versionInPost === true ? { id: ids.get(schema), version: list.indexOf(schema) + 1 } : { id: ids.get(schema) })
      }
      if (req.method === 'POST' && parts[0] === 'subjects' && parts.length === 2) {
        const schema = (JSON.parse(body) as { schema: string }).schema
        const list = subjects.get(parts[1] as string)
        if (list === undefined) return send(res, 404, { error_code: 40401, message: 'Subject not found' })
        const i = list.indexOf(schema)
        if (i === -1) return send(res, 404, { error_code: 40403, message: 'Schema not found' })
        return send(res, 200, { subject: parts[1], id: ids.get(schema), version: i + 1, schema })
      }
      if (req.method === 'GET' && parts[0] === 'subjects' && parts[2] === 'versions' && parts.length === 4) {
        const schema = subjects.get(parts[1] as string)?.[Number(parts[3]) - 1]
        if (schema === undefined) return send(res, 404, { error_code: 40402, message: 'Version not found' })
        return send(res, 200, { subject: parts[1], id: ids.get(schema), version: Number(parts[3]), schema })
      }
      if (req.method === 'GET' && parts[0] === 'schemas' && parts[1] === 'ids') {
        const found = [...ids].find(([, id]) => id === Number(parts[2]))
        return found === undefined ? send(res, 404, { error_code: 40403, message: 'Schema not found' }) : send(res, 200, { schema: found[0] })
      }
      send(res, 404, { error_code: 404, message: 'no route' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, subjects }
}

async function through (records: OpenCDCRecord[], ...stages: Transform[]): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  await pipeline([Readable.from(records), ...stages, new Writable({ objectMode: true, write (r: OpenCDCRecord, _e, cb) { out.push(r); cb() } })])
  return out
}

t.test('registers, looks up the version, and fetches by subject/version and by id', async (t) => {
  const srv = await startRegistry(t)
  const reg = new ConfluentSchemaRegistry({ url: srv.url + '/' })
  const a = await reg.register('ctx:T.payload', '{"type":"string"}')
  t.same(a, { subject: 'ctx:T.payload', version: 1, id: 1, schema: '{"type":"string"}' })
  const b = await reg.register('ctx:T.payload', '{"type":"long"}')
  t.equal(b.version, 2)
  t.same(srv.requests.slice(0, 2), ['POST /subjects/ctx%3AT.payload/versions', 'POST /subjects/ctx%3AT.payload'])
  const fresh = new ConfluentSchemaRegistry({ url: srv.url })
  t.same(await fresh.get('ctx:T.payload', 2), { subject: 'ctx:T.payload', version: 2, id: 2, schema: '{"type":"long"}' })
  t.equal(await fresh.getById(1), '{"type":"string"}')
})

t.test('uses the version from the POST answer when the registry sends one', async (t) => {
  const srv = await startRegistry(t, { versionInPost: true })
  const reg = new ConfluentSchemaRegistry({ url: srv.url })
  t.equal((await reg.register('s', '"string"')).version, 1)
  t.same(srv.requests, ['POST /subjects/s/versions'])
})

t.test('caches registrations and fetched versions, sharing concurrent calls', async (t) => {
  const srv = await startRegistry(t)
  const reg = new ConfluentSchemaRegistry({ url: srv.url })
  await Promise.all([reg.register('s', '"string"'), reg.register('s', '"string"'), reg.register('s', '"string"')])
  await reg.register('s', '"string"')
  const other = new ConfluentSchemaRegistry({ url: srv.url })
  await Promise.all([other.get('s', 1), other.get('s', 1)])
  await other.get('s', 1)
  t.same(srv.requests, ['POST /subjects/s/versions', 'POST /subjects/s', 'GET /subjects/s/versions/1'])
})

t.test('reports HTTP errors with status, Confluent error code and message', async (t) => {
  const srv = await startRegistry(t)
  const reg = new ConfluentSchemaRegistry({ url: srv.url })
  await t.rejects(reg.get('missing', 1), { code: 'ERR_DDB_SCHEMA_NOT_FOUND', message: /GET \/subjects\/missing\/versions\/1 answered 404 \(error_code 40402\): Version not found/ })
  await t.rejects(reg.register('s', 'not json'), { code: 'ERR_DDB_SCHEMA_REGISTRY', message: /answered 422 \(error_code 42201\): Invalid schema/ })
  const down = new ConfluentSchemaRegistry({ url: 'http://127.0.0.1:1' })
  await t.rejects(down.get('s', 1), { code: 'ERR_DDB_SCHEMA_REGISTRY', message: /GET \/subjects\/s\/versions\/1 failed/ })
})

t.test('the Avro encoder and decoder work through a Confluent registry, each with its own client', async (t) => {
  const srv = await startRegistry(t)
  const rec = createRecord({ position: 'p', operation: 'update', metadata: { 'opencdc.collection': 'T' }, key: { id: 1 }, before: { id: 1 }, after: { id: 1, added: 'x' } })
  const encoded = await through([rec, rec], createAvroEncoder({ registry: new ConfluentSchemaRegistry({ url: srv.url }), contextName: 'pipe' }))
  t.same([...srv.subjects.keys()], ['pipe:T.key', 'pipe:T.payload'])
  t.equal(srv.requests.filter((r) => r.startsWith('POST')).length, 4, 'the second record reuses cached versions')
  const [dec] = await through(encoded.slice(0, 1), createAvroDecoder({ registry: new ConfluentSchemaRegistry({ url: srv.url }) }))
  t.same(dec?.payload, { before: { id: 1 }, after: { id: 1, added: 'x' } })
  t.same(dec?.key, { id: 1 })
})

t.test('rejects a registry URL that is not http(s)', async (t) => {
  t.throws(() => new ConfluentSchemaRegistry({ url: 'localhost:8081' }), { code: 'ERR_DDB_INVALID_OPTION' })
})
