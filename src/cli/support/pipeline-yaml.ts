import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml'
import { OpenCDCError } from '../../errors/index.js'
import { resolveOptions, type OptionSpec } from '../../options/options.js'

export type ConnectorKind = 'dynamodb' | 'file'
export type ConnectorType = 'source' | 'destination'

export interface ConnectorPlan {
  /** `<pipeline id>:<connector id>`, the way Conduit names a connector. */
  id: string
  type: ConnectorType
  kind: ConnectorKind
  plugin: string
  /** Settings as strings, exactly as a Conduit connector receives them. */
  settings: Record<string, string>
}

export interface PipelinePlan {
  id: string
  sources: ConnectorPlan[]
  destinations: ConnectorPlan[]
  /** From a `dlq` with plugin builtin:file: where records a destination cannot write go. */
  deadLetterPath?: string
}

export interface PipelineFile {
  pipelines: PipelinePlan[]
  /** Ids of pipelines with `status: stopped`, which Conduit would not start either. */
  stopped: string[]
}

export interface ParseOptions {
  /** Shown in error messages (default "pipeline.yaml"). */
  file?: string
  /** For ${VAR} / $VAR expansion in setting values, as Conduit does (default process.env). */
  env?: NodeJS.ProcessEnv
}

export const SUPPORTED_PLUGINS = 'dynamodb (builtin:dynamodb, standalone:dynamodb, conduit-connector-dynamodb) and builtin:file'

/** Settings a builtin:file connector understands; anything else is reported rather than ignored. */
export const FILE_SPECS: readonly OptionSpec[] = [
  { name: 'path', setting: 'path', kind: 'string', required: true, doc: 'Path of the JSON Lines file of OpenCDC records to read or write.' },
  { name: 'recordFormat', setting: 'sdk.record.format', kind: 'string', default: 'opencdc/json', doc: 'Format of the lines a file destination writes (a file source reads opencdc/json).' },
  { name: 'recordFormatOptions', setting: 'sdk.record.format.options', kind: 'string', default: '', doc: 'Options of that format; a file source takes the same ones (opencdc.dynamodbJson, opencdc.typeHints).' },
  { name: 'batchSize', setting: 'sdk.batch.size', kind: 'int', min: 0, default: 0, doc: 'Accepted for compatibility; lines are written as records arrive.' },
  { name: 'batchDelay', setting: 'sdk.batch.delay', kind: 'duration', min: 0, default: 0, doc: 'Accepted for compatibility.' }
]

const PIPELINE_KEYS = new Set(['id', 'status', 'name', 'description', 'connectors', 'processors', 'dlq'])
const CONNECTOR_KEYS = new Set(['id', 'type', 'plugin', 'name', 'settings', 'processors'])

class Reader {
  readonly #file: string
  readonly #lines: LineCounter
  readonly #env: NodeJS.ProcessEnv

  constructor (file: string, lines: LineCounter, env: NodeJS.ProcessEnv) {
    this.#file = file
    this.#lines = lines
    this.#env = env
  }

  fail (node: Node | null | undefined, where: string, message: string): never {
    const range = node?.range
    const at = range !== undefined && range !== null ? `:${this.#lines.linePos(range[0]).line}` : ''
    throw new OpenCDCError('ERR_DDB_PIPELINE_CONFIG', `${this.#file}${at} (${where}): ${message}`, { file: this.#file, path: where })
  }

  /** A scalar as Conduit's string settings see it: the literal text of numbers and booleans, '' for null. */
  text (node: unknown, where: string): string {
    if (node === null || node === undefined) return ''
    if (!isScalar(node)) return this.fail(node as Node, where, 'expected a string, got a ' + (isMap(node) ? 'map' : isSeq(node) ? 'list' : 'value'))
    if (node.value === null) return ''
    if (typeof node.value === 'string') return node.value
    return node.source ?? String(node.value)
  }

  expand (value: string): string {
    return value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, a?: string, b?: string) => this.#env[(a ?? b) as string] ?? '')
  }

  /** A map's entries with string keys, or a failure naming the path. */
  entries (node: unknown, where: string): Array<[string, unknown, Node]> {
    if (!isMap(node)) return this.fail(node as Node, where, 'expected a map')
    return node.items.map((pair) => [this.text(pair.key, where), pair.value, (pair.key ?? node) as Node])
  }

  list (node: unknown, where: string): Array<{ key?: string, node: unknown }> {
    if (node === null || node === undefined) return []
    if (isSeq(node)) return node.items.map((n) => ({ node: n }))
    // Version 1 files keep pipelines and connectors in maps keyed by id.
    if (isMap(node)) return this.entries(node, where).map(([key, value]) => ({ key, node: value }))
    return this.fail(node as Node, where, 'expected a list')
  }
}

function pluginKind (plugin: string): ConnectorKind | undefined {
  const noVersion = plugin.trim().replace(/@[^@/]*$/, '')
  const m = /^(?:(builtin|standalone):)?(.+)$/.exec(noVersion)
  const name = (m?.[2] ?? '').split('/').at(-1)?.replace(/^conduit-connector-/, '')
  if (name === 'dynamodb') return 'dynamodb'
  if (name === 'file' && m?.[1] !== 'standalone') return 'file'
  return undefined
}

function readConnector (r: Reader, pipelineId: string, entry: { key?: string, node: unknown }, where: string): ConnectorPlan {
  const fields = new Map(r.entries(entry.node, where).map(([k, v, keyNode]) => [k, { v, keyNode }]))
  for (const [k, { keyNode }] of fields) {
    if (!CONNECTOR_KEYS.has(k)) r.fail(keyNode, `${where}.${k}`, `unknown connector field "${k}"; expected one of ${[...CONNECTOR_KEYS].join(', ')}`)
  }
  const id = entry.key ?? r.text(fields.get('id')?.v, `${where}.id`)
  if (id === '') r.fail(entry.node as Node, where, 'a connector needs an id')
  const type = r.text(fields.get('type')?.v, `${where}.type`)
  if (type !== 'source' && type !== 'destination') r.fail((fields.get('type')?.v ?? entry.node) as Node, `${where}.type`, `connector "${id}": type must be "source" or "destination", got ${JSON.stringify(type)}`)
  const plugin = r.text(fields.get('plugin')?.v, `${where}.plugin`)
  const kind = pluginKind(plugin)
  if (kind === undefined) r.fail((fields.get('plugin')?.v ?? entry.node) as Node, `${where}.plugin`, `connector "${id}": plugin ${JSON.stringify(plugin)} is not supported; supported plugins: ${SUPPORTED_PLUGINS}`)
  const processors = fields.get('processors')?.v
  if (r.list(processors, `${where}.processors`).length > 0) {
    r.fail(processors as Node, `${where}.processors`, `connector "${id}": processors are not supported by "run"; remove them, or transform records in code with the library (see docs/cli.md)`)
  }
  const settings: Record<string, string> = {}
  const settingsNode = fields.get('settings')?.v
  if (settingsNode !== undefined && settingsNode !== null && !(isScalar(settingsNode) && settingsNode.value === null)) {
    for (const [k, v] of r.entries(settingsNode, `${where}.settings`)) settings[k] = r.expand(r.text(v, `${where}.settings.${k}`))
  }
  const plan: ConnectorPlan = { id: `${pipelineId}:${id}`, type, kind, plugin, settings }
  if (kind === 'file') {
    try {
      resolveOptions(FILE_SPECS, settings, `connector "${id}" (builtin:file)`)
    } catch (err) {
      r.fail((settingsNode ?? entry.node) as Node, `${where}.settings`, (err as Error).message)
    }
  }
  return plan
}

function readDeadLetter (r: Reader, node: unknown, where: string): string | undefined {
  if (node === null || node === undefined) return undefined
  const fields = new Map(r.entries(node, where).map(([k, v]) => [k, v]))
  const plugin = r.text(fields.get('plugin'), `${where}.plugin`)
  if (plugin === '' || plugin === 'builtin:log' || plugin === 'log') return undefined
  if (pluginKind(plugin) !== 'file') r.fail(node as Node, `${where}.plugin`, `dlq plugin ${JSON.stringify(plugin)} is not supported; use builtin:file with a path setting, or builtin:log`)
  const settings = fields.get('settings')
  const path = settings !== undefined ? r.entries(settings, `${where}.settings`).find(([k]) => k === 'path') : undefined
  const value = path !== undefined ? r.expand(r.text(path[1], `${where}.settings.path`)) : ''
  if (value === '') r.fail(node as Node, `${where}.settings.path`, 'a builtin:file dlq needs a path setting')
  return value
}

function readPipeline (r: Reader, entry: { key?: string, node: unknown }, where: string): PipelinePlan & { status: string } {
  const fields = new Map(r.entries(entry.node, where).map(([k, v, keyNode]) => [k, { v, keyNode }]))
  for (const [k, { keyNode }] of fields) {
    if (!PIPELINE_KEYS.has(k)) r.fail(keyNode, `${where}.${k}`, `unknown pipeline field "${k}"; expected one of ${[...PIPELINE_KEYS].join(', ')}`)
  }
  const id = entry.key ?? r.text(fields.get('id')?.v, `${where}.id`)
  if (id === '') r.fail(entry.node as Node, where, 'a pipeline needs an id')
  const status = r.text(fields.get('status')?.v, `${where}.status`) || 'running'
  if (status !== 'running' && status !== 'stopped') r.fail(fields.get('status')?.v as Node, `${where}.status`, `pipeline "${id}": status must be "running" or "stopped", got ${JSON.stringify(status)}`)
  const processors = fields.get('processors')?.v
  if (r.list(processors, `${where}.processors`).length > 0) {
    r.fail(processors as Node, `${where}.processors`, `pipeline "${id}": processors are not supported by "run"; remove them, or transform records in code with the library (see docs/cli.md)`)
  }
  const connectors = r.list(fields.get('connectors')?.v, `${where}.connectors`).map((c, i) => readConnector(r, id, c, `${where}.connectors[${c.key ?? i}]`))
  const seen = new Set<string>()
  for (const c of connectors) {
    if (seen.has(c.id)) r.fail(entry.node as Node, where, `pipeline "${id}": connector id "${c.id.slice(id.length + 1)}" appears twice`)
    seen.add(c.id)
  }
  const sources = connectors.filter((c) => c.type === 'source')
  const destinations = connectors.filter((c) => c.type === 'destination')
  if (status === 'running' && (sources.length === 0 || destinations.length === 0)) {
    r.fail(entry.node as Node, where, `pipeline "${id}" needs at least one source and one destination connector (has ${sources.length} and ${destinations.length})`)
  }
  const deadLetterPath = readDeadLetter(r, fields.get('dlq')?.v, `${where}.dlq`)
  return { id, status, sources, destinations, ...(deadLetterPath !== undefined ? { deadLetterPath } : {}) }
}

function readDocument (r: Reader, doc: Document.Parsed, out: PipelineFile): void {
  const root = doc.contents
  if (root === null || (isScalar(root) && root.value === null)) return
  const fields = new Map(r.entries(root, '$').map(([k, v]) => [k, v]))
  const version = r.text(fields.get('version'), 'version')
  if (!/^[12](\.\d+)*$/.test(version)) r.fail((fields.get('version') ?? root) as Node, 'version', `expected a Conduit pipeline config version like 2.2, got ${JSON.stringify(version)}`)
  for (const [i, entry] of r.list(fields.get('pipelines'), 'pipelines').entries()) {
    const p = readPipeline(r, entry, `pipelines[${entry.key ?? i}]`)
    if (out.pipelines.some((q) => q.id === p.id) || out.stopped.includes(p.id)) r.fail(entry.node as Node, `pipelines[${i}]`, `pipeline id "${p.id}" appears twice`)
    if (p.status === 'stopped') out.stopped.push(p.id)
    else {
      const { status: _s, ...plan } = p
      out.pipelines.push(plan)
    }
  }
}

/**
 * A Conduit pipeline configuration file (version 2.x, also 1.x maps) → the pipelines to run. Pure:
 * every error is an ERR_DDB_PIPELINE_CONFIG naming the file, line and path of the offending entry.
 */
export function parsePipelineYaml (text: string, opts: ParseOptions = {}): PipelineFile {
  const file = opts.file ?? 'pipeline.yaml'
  const lines = new LineCounter()
  const r = new Reader(file, lines, opts.env ?? process.env)
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true })
  const out: PipelineFile = { pipelines: [], stopped: [] }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const bad = doc.errors[0]
    if (bad !== undefined) {
      throw new OpenCDCError('ERR_DDB_PIPELINE_CONFIG', `${file}:${bad.linePos?.[0]?.line ?? '?'}: invalid YAML: ${bad.message.split('\n')[0]}`, { file })
    }
    readDocument(r, doc, out)
  }
  if (out.pipelines.length === 0 && out.stopped.length === 0) {
    throw new OpenCDCError('ERR_DDB_PIPELINE_CONFIG', `${file}: no pipelines found; expected "version: 2.2" and a "pipelines:" list`, { file })
  }
  return out
}
