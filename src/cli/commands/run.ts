import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline, Writable, type Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { OpenCDCError } from '../../errors/index.js'
import type { OpenCDCRecord } from '../../model/record.js'
import { AckWindow, defaultAckLag } from '../support/ack-window.js'
import { BIN, parseCommandArgs, parseDurationFlag, usageError } from '../support/args.js'
import { openDestination, openParser, openSerializer, openSource, readOptionsOf, type BadLineMark, type Source } from '../support/connectors.js'
import { DeadLetterFile, withoutBadLines } from '../support/dead-letter.js'
import { close, take } from '../support/flow.js'
import { parsePipelineYaml, type ConnectorPlan, type PipelinePlan } from '../support/pipeline-yaml.js'
import { writesToFile, type Command } from '../support/runtime.js'
import { trackProgress } from '../support/progress.js'
import type { Tally } from '../support/summary.js'
import { createUi, type Progress, type Ui } from '../support/ui.js'
import { startMetricsServer } from '../support/metrics-server.js'

const help = `Usage: ${BIN} run PIPELINE.yaml [--until-idle D] [--checkpoint-dir DIR] [--metrics [HOST:]PORT]

Runs the pipelines of a Conduit pipeline configuration file (version 2.2). Connectors may use the
plugin "dynamodb" (source or destination, with the connector's settings exactly as Conduit takes
them) or "builtin:file" (a "path" setting: OpenCDC JSON Lines read by a source, written by a
destination in its sdk.record.format; a source reads opencdc/json with the same
sdk.record.format.options, e.g. opencdc.dynamodbJson=true). Every source feeds every destination of its pipeline.
Processors are not supported. \${VAR} in setting values is replaced from the environment.

Options:
  --until-idle D          stop each source after D without a record (e.g. 10s); the run ends
                          when every source has stopped
  --checkpoint-dir DIR    keep a checkpoint per DynamoDB source in DIR/<pipeline>.<connector>.json
                          (or set checkpoint.file in the connector's settings)
  --metrics [HOST:]PORT   serve Prometheus metrics of every dynamodb connector on
                          http://HOST:PORT/metrics (HOST 127.0.0.1 by default)
  -q, --quiet             only errors on stderr
  -v, --verbose           debug logs on stderr
  -h, --help              this help

Example pipeline.yaml:
  version: 2.2
  pipelines:
    - id: orders-to-file
      status: running
      connectors:
        - id: orders
          type: source
          plugin: dynamodb
          settings:
            table: orders
            aws.region: us-east-1
            aws.url: \${DYNAMODB_ENDPOINT}
        - id: out
          type: destination
          plugin: builtin:file
          settings:
            path: ./orders.jsonl

Examples:
  ${BIN} run pipeline.yaml
  DYNAMODB_ENDPOINT=http://127.0.0.1:8000 ${BIN} run pipeline.yaml --until-idle 10s
`

interface RunArgs { 'until-idle'?: string, 'checkpoint-dir'?: string, metrics?: string, quiet?: boolean, verbose?: boolean }

/** Names the connector in option errors thrown by the library, keeping their code (and so exit 2). */
async function forConnector<T> (plan: ConnectorPlan, open: () => Promise<T>): Promise<T> {
  try {
    return await open()
  } catch (err) {
    if (err instanceof OpenCDCError) throw new OpenCDCError(err.code, `connector "${plan.id}": ${err.message}`, err.details, { cause: err.cause })
    throw err
  }
}

/**
 * A builtin:file destination: one formatted line per record, acknowledged once the line is written to a
 * regular file; to a FIFO or device (/dev/stdout), once the ack window has passed it (see read's --ack-lag).
 */
async function fileDestination (plan: ConnectorPlan, onWritten: (r: OpenCDCRecord) => void): Promise<Writable> {
  const serialize = await openSerializer(plan.settings['sdk.record.format'] || 'opencdc/json', plan.settings['sdk.record.format.options'] ?? '')
  const out = createWriteStream(plan.settings.path as string, { flags: 'a' })
  await once(out, 'open')
  const window = new AckWindow<OpenCDCRecord>(writesToFile(out) ? 0 : defaultAckLag(), onWritten)
  return new Writable({
    objectMode: true,
    write (record: OpenCDCRecord, _enc, cb) {
      let line: string | Buffer
      try { line = serialize(record) } catch (err) { cb(err as Error); return }
      const bytes = Buffer.byteLength(line)
      out.write(line, (err) => { if (err == null) window.written(record, bytes); cb(err) })
    },
    final (cb) { out.end(); finished(out).then(() => { window.finish(); cb() }, cb) },
    destroy (err, cb) { out.destroy(); cb(err) }
  })
}

interface Running { plan: ConnectorPlan, stream: Readable, ack?: (r: OpenCDCRecord) => void, progress?: Progress }

async function openSources (p: PipelinePlan, checkpointDir: string | undefined, ui: Ui, metrics: { metrics?: object }): Promise<Running[]> {
  const out: Running[] = []
  for (const plan of p.sources) {
    if (plan.kind === 'file') {
      // The same format settings as a file destination, so what one writes the other reads back.
      const parser = await forConnector(plan, async () => await openParser(readOptionsOf(plan.settings['sdk.record.format'] || 'opencdc/json', plan.settings['sdk.record.format.options'] ?? '')))
      pipeline(createReadStream(plan.settings.path as string), parser, () => {})
      out.push({ plan, stream: parser })
      continue
    }
    const settings: Record<string, unknown> = { ...plan.settings, ...metrics }
    if (checkpointDir !== undefined && settings['checkpoint.file'] === undefined) settings.checkpoint = path.join(checkpointDir, `${plan.id.replace(':', '.')}.json`)
    const source: Source = await forConnector(plan, async () => await openSource(settings))
    out.push({ plan, stream: source, ack: (r) => source.ack(r), progress: trackProgress(source, ui, plan.id) })
  }
  return out
}

async function runPipeline (p: PipelinePlan, opts: { signal: AbortSignal, idleMs?: number, checkpointDir?: string, ui: Ui, tally: Required<Tally>, metrics?: object }): Promise<number> {
  const withMetrics = opts.metrics !== undefined ? { metrics: opts.metrics } : {}
  // Each record is acknowledged to its source once every destination wrote it.
  const owners = new Map<OpenCDCRecord, { left: number, ack?: (r: OpenCDCRecord) => void }>()
  const written = (r: OpenCDCRecord): void => {
    const o = owners.get(r)
    if (o === undefined) return
    if (--o.left === 0) { owners.delete(r); opts.tally.written++; o.ack?.(r) }
  }
  const sources = await openSources(p, opts.checkpointDir, opts.ui, withMetrics)
  const dests: Writable[] = []
  const deadLetter = p.deadLetterPath !== undefined ? await deadLetterFor(p.deadLetterPath) : undefined
  try {
    for (const plan of p.destinations) {
      dests.push(plan.kind === 'file'
        ? await fileDestination(plan, written)
        : await forConnector(plan, async () => await openDestination({ ...plan.settings, ...withMetrics, onWritten: (rs: OpenCDCRecord[]) => { for (const r of rs) written(r) }, ...(deadLetter !== undefined ? { deadLetter: deadLetter.record.bind(deadLetter) } : {}) })))
    }
  } catch (err) {
    await Promise.all([...sources.map(async (s) => await close(s.stream)), ...dests.map(async (d) => await close(d))])
    throw err
  }
  const failed = new Promise<never>((_resolve, reject) => { for (const d of dests) d.once('error', reject) })
  failed.catch(() => {})
  let count = 0
  const feed = async (s: Running): Promise<void> => {
    for await (const record of withoutBadLines(take<OpenCDCRecord | BadLineMark>(s.stream, { signal: opts.signal, idleMs: opts.idleMs }), deadLetter)) {
      owners.set(record, { left: dests.length, ...(s.ack !== undefined ? { ack: s.ack } : {}) })
      count++
      opts.tally.read++
      const full = dests.filter((d) => !d.write(record))
      if (full.length > 0) await Promise.race([Promise.all(full.map(async (d) => await once(d, 'drain'))), failed])
    }
  }
  let failure: unknown
  try {
    await Promise.race([Promise.all(sources.map(feed)), failed])
  } catch (err) {
    failure = err
  }
  // Flush what the destinations accepted (so sources checkpoint it), then release the sources.
  await Promise.all(dests.map(async (d) => {
    if (d.destroyed) return
    d.end()
    try { await finished(d) } catch (err) { failure ??= err }
  }))
  await deadLetter?.close()
  opts.tally.deadLettered += deadLetter?.count ?? 0
  for (const s of sources) {
    s.progress?.stop()
    try { await close(s.stream) } catch (err) { failure ??= err }
  }
  if (failure !== undefined) throw failure
  opts.ui.log.info(`pipeline ${p.id}: ${count} records`)
  return count
}

async function deadLetterFor (file: string): Promise<DeadLetterFile> {
  return new DeadLetterFile(file, await openSerializer('opencdc/json', ''))
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a Conduit pipeline.yaml (dynamodb and builtin:file connectors)',
  help,
  async run (argv, ctx) {
    const { values, positionals } = parseCommandArgs<RunArgs>('run', argv, {
      'until-idle': { type: 'string' },
      'checkpoint-dir': { type: 'string' },
      metrics: { type: 'string' }
    }, true)
    if (positionals.length !== 1) throw usageError('run', `expected one pipeline file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`)
    const file = positionals[0] as string
    const idleMs = parseDurationFlag('run', '--until-idle', values['until-idle'])
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      throw usageError('run', `cannot read the pipeline file ${file}: ${(err as Error).message}`)
    }
    const config = parsePipelineYaml(text, { file, env: ctx.env })
    const metrics = await startMetricsServer('run', values.metrics, ctx.stderr)
    const ui = createUi({ ...values, stderr: ctx.stderr })
    for (const id of config.stopped) ui.log.info(`pipeline ${id} has status stopped: not started`)
    // One failing pipeline stops the others cleanly.
    const stopAll = new AbortController()
    const signal = AbortSignal.any([ctx.signal, stopAll.signal])
    const tally = Object.assign(ctx.tally, { read: 0, written: 0, deadLettered: 0 })
    try {
      await Promise.all(config.pipelines.map(async (p) => {
        try {
          return await runPipeline(p, { signal, ...(idleMs !== undefined ? { idleMs } : {}), ...(values['checkpoint-dir'] !== undefined ? { checkpointDir: values['checkpoint-dir'] } : {}), ui, tally, ...(metrics !== undefined ? { metrics: metrics.registry } : {}) })
        } catch (err) {
          stopAll.abort()
          throw err
        }
      }))
    } finally {
      ui.close()
      await metrics?.close()
    }
    return 0
  }
}
