import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { OpenCDCError } from '../../errors/index.js'
import { BIN } from '../support/args.js'
import type { Command } from '../support/runtime.js'

const help = `Usage: ${BIN} bench [benchmark options…]

Runs the benchmark suite (dist/benchmarks/run.js) against an embedded DynamoDB Local, or against
DYNAMODB_ENDPOINT when it is set. Every argument, --help included, is passed to the benchmark
runner unchanged. Exits with the runner's exit code.

Examples:
  ${BIN} bench --quick
  ${BIN} bench --only snapshot --rounds 5
  npm run bench -- --quick
`

/** dist/benchmarks/run.js next to this file's dist/src/cli/. */
export function benchRunner (): string {
  return fileURLToPath(new URL('../../../benchmarks/run.js', import.meta.url))
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmark suite (dist/benchmarks/run.js)',
  help,
  passHelp: true,
  async run (argv, ctx) {
    const runner = benchRunner()
    if (!existsSync(runner)) {
      if (argv.includes('--help') || argv.includes('-h')) {
        ctx.stdout.write(help)
        return 0
      }
      throw new OpenCDCError('ERR_DDB_BENCH_MISSING', `the benchmark runner ${runner} does not exist; build it with "npm run build" (benchmarks/run.ts must be part of this checkout)`)
    }
    const child = spawn(process.execPath, [runner, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: ctx.env })
    child.stdout.pipe(ctx.stdout, { end: false })
    child.stderr.pipe(ctx.stderr, { end: false })
    const onAbort = (): void => { child.kill('SIGINT') }
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (status, sig) => resolve(status ?? (sig !== null ? 1 : 0)))
    })
    ctx.signal.removeEventListener('abort', onAbort)
    return ctx.signal.aborted ? 0 : code
  }
}
