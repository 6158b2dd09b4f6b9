#!/usr/bin/env node
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { errorInfo } from '../errors/index.js'
import { didYouMean } from '../options/did-you-mean.js'
import { EXIT_STALLED } from './support/stall-flags.js'
import { BIN, isUsageError, usageError } from './support/args.js'
import { benchCommand } from './commands/bench.js'
import { copyCommand } from './commands/copy.js'
import { demoCommand } from './commands/demo.js'
import { localCommand } from './commands/local.js'
import { readCommand } from './commands/read.js'
import { runCommand } from './commands/run.js'
import { stopSignal, StopRequest, type Command } from './support/runtime.js'
import { exitCodeOf, quietRequested, summaryLine, type Tally } from './support/summary.js'
import { statusCommand } from './commands/status.js'
import { writeCommand } from './commands/write.js'

const COMMANDS: readonly Command[] = [demoCommand, localCommand, readCommand, writeCommand, copyCommand, runCommand, benchCommand, statusCommand]

function version (): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

const EXAMPLES: Array<[string, string]> = [
  ['npm start', `= ${BIN} demo`],
  [`${BIN} local`, 'DynamoDB Local on http://127.0.0.1:8000'],
  [`${BIN} read --table orders --snapshot-only > orders.jsonl`, ''],
  [`${BIN} write --table orders_copy < orders.jsonl`, ''],
  [`${BIN} copy --from orders --to orders_copy --until-idle 10s`, ''],
  [`${BIN} run pipeline.yaml`, '']
]

function topHelp (): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return `Usage: ${BIN} <command> [options]

DynamoDB tables as streams of OpenCDC records: snapshot + change data capture out, batched writes in.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Every command takes --help (usage and examples), -q/--quiet and -v/--verbose. Commands that talk to
DynamoDB take --endpoint URL (or -s aws.url=URL, or DYNAMODB_ENDPOINT), --region R and -s key=value
for any Conduit connector setting. Data goes to stdout; logs and progress go to stderr.
Every run ends with one "summary:" line on stderr (records read, written, dead-lettered, duration).
Exit codes: 0 done (also after Ctrl-C or a closed pipe), 1 runtime failure, 2 usage error,
3 done but records or lines went to the --dead-letter file, 4 stopped by --exit-on-stall.

Examples:
${EXAMPLES.map(([cmd, note]) => `  ${cmd.padEnd(24)}${note !== '' ? ' # ' + note : ''}`.trimEnd()).join('\n')}
`
}

function wantsHelp (argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false
    if (a === '--help' || a === '-h') return true
  }
  return false
}

const STOP_ECHOES = new Set(['ABORT_ERR', 'EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_WRITE_AFTER_END'])

function isStopEcho (err: unknown): boolean {
  const e = err as { name?: string, code?: string }
  return e?.name === 'AbortError' || STOP_ECHOES.has(e?.code ?? '')
}

/** The command being run, for its summary line. */
interface Running { cmd: Command, tally: Tally, started: number }

async function dispatch (argv: string[], stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, running: { current?: Running }): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--help' || name === '-h' || name === 'help') {
    const cmd = COMMANDS.find((c) => c.name === rest[0])
    stdout.write(cmd?.help ?? topHelp())
    return 0
  }
  if (name === '--version' || name === '-V') {
    stdout.write(version() + '\n')
    return 0
  }
  if (name === undefined) {
    stderr.write(topHelp())
    return 2
  }
  const cmd = COMMANDS.find((c) => c.name === name)
  if (cmd === undefined) {
    throw usageError(undefined, `unknown command ${JSON.stringify(name)}${didYouMean(name, COMMANDS.map((c) => c.name))}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`)
  }
  if (wantsHelp(rest) && cmd.passHelp !== true) {
    stdout.write(cmd.help)
    return 0
  }
  const stop = stopSignal(stdout)
  const tally: Tally = {}
  running.current = { cmd, tally, started: Date.now() }
  try {
    return exitCodeOf(await cmd.run(rest, { stdout, stderr, env: process.env, signal: stop.signal, tally }), tally)
  } catch (err) {
    // Errors that are the stop itself (an aborted call, a closed pipe) are not failures; anything else still is.
    if (stop.signal.aborted && stop.signal.reason instanceof StopRequest && isStopEcho(err)) return exitCodeOf(0, tally)
    throw err
  } finally {
    stop.dispose()
  }
}

function describeError (err: unknown, verbose: boolean): string {
  if (!(err instanceof Error)) return String(err)
  const rawCode = (err as NodeJS.ErrnoException).code
  const code = isUsageError(err) || rawCode === undefined ? '' : ` [${String(rawCode)}]`
  const [first, ...more] = err.message.split('\n')
  let text = [`${first ?? ''}${code}`, ...more].join('\n')
  // What a CLI user can do about an error the library reports in its own (option-level) terms.
  const hint = errorInfo(rawCode)?.hint
  if (hint !== undefined) text += `\n${hint}`
  if (verbose) {
    text += '\n' + (err.stack ?? '').split('\n').slice(1).join('\n')
    let cause = err.cause
    while (cause instanceof Error) {
      text += `\ncaused by: ${cause.message}`
      cause = cause.cause
    }
    text += awsDetails(err)
  } else if (err.cause instanceof Error && !err.message.includes(err.cause.message)) {
    text += `\ncaused by: ${err.cause.message}`
  }
  return text
}

// --verbose shows what AWS answered (request id, attempts, status, headers) for a support case; the client scrubbed the signed request out.
function awsDetails (err: Error): string {
  let out = ''
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const { $metadata, $response } = e as { $metadata?: unknown, $response?: unknown }
    if ($metadata !== undefined) out += `\naws ${e.name}: ${inspect({ $metadata, $response }, { depth: 4, breakLength: Infinity })}`
  }
  return out
}

async function main (): Promise<void> {
  // The SDK's notice about its future Node 22 requirement is noise on every CLI run (package engines: Node >= 20).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const argv = process.argv.slice(2)
  const running: { current?: Running } = {}
  let code: number
  try {
    code = await dispatch(argv, process.stdout, process.stderr, running)
  } catch (err) {
    const verbose = argv.includes('--verbose') || argv.includes('-v')
    const cmd = COMMANDS.find((c) => c.name === argv[0])
    process.stderr.write(`${BIN}${cmd !== undefined ? ' ' + cmd.name : ''}: ${describeError(err, verbose)}\n`)
    code = isUsageError(err) ? 2 : errorInfo((err as { code?: unknown })?.code)?.exit === 'stalled' ? EXIT_STALLED : 1
  }
  // Every run that got going ends with one summary line, TTY or not; a usage error ran nothing.
  const r = running.current
  if (r !== undefined && code !== 2 && !quietRequested(argv.slice(1))) process.stderr.write(summaryLine(r.cmd.name, r.tally, Date.now() - r.started, code))
  if (process.stdout.writableNeedDrain && !process.stdout.destroyed) await once(process.stdout, 'drain').catch(() => {})
  // Keep-alive sockets or a stuck SDK call must not keep a finished command alive.
  process.exit(code)
}

await main()
