import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { assertFreshDist } from './fresh-dist.js'

/** The built CLI (npm test builds before tap runs; a stale build fails every test that spawns it). */
export const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url))
assertFreshDist()

export interface Child {
  proc: ChildProcess
  readonly stdout: string
  readonly stderr: string
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** SIGKILL, then wait for the exit. */
  kill: () => Promise<void>
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv
  input?: string | Buffer
  /** Leave stdin open for the test to write to (default: EOF right away). */
  openStdin?: boolean
  cwd?: string
  timeoutMs?: number
}

export interface Result { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }

/** Runs the CLI with `args` in a child process, collecting its output; stdin gets `input` then EOF. */
export function runCli (args: string[], opts: CliOptions = {}): Child {
  const proc = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...opts.env },
    cwd: opts.cwd,
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  proc.stdout?.on('data', (c: Buffer) => { stdout += c.toString() })
  proc.stderr?.on('data', (c: Buffer) => { stderr += c.toString() })
  proc.stdin?.on('error', () => {})
  if (opts.input !== undefined) proc.stdin?.end(opts.input)
  else if (opts.openStdin !== true) proc.stdin?.end()
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('close', (code, signal) => resolve({ code, signal }))
  })
  return {
    proc,
    get stdout () { return stdout },
    get stderr () { return stderr },
    exited,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      await exited
    }
  }
}

/** Runs the CLI to its end and resolves with how it ended (SIGKILLed after timeoutMs); `.child` is the process. */
export function cliResult (args: string[], opts: CliOptions = {}): Promise<Result> & { child: ChildProcess } {
  const run = runCli(args, opts)
  const timer = setTimeout(() => { run.proc.kill('SIGKILL') }, opts.timeoutMs ?? 60_000)
  const done = new Promise<Result>((resolve, reject) => {
    run.proc.on('error', reject)
    void run.exited.then(({ code, signal }) => { clearTimeout(timer); resolve({ code, signal, stdout: run.stdout, stderr: run.stderr }) })
  })
  return Object.assign(done, { child: run.proc })
}

/** Runs the CLI to its end: exit code, stdout and stderr; a run killed by a signal (the timeout) fails. */
export async function cli (args: string[], opts: CliOptions = {}): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const { code, signal, stdout, stderr } = await cliResult(args, opts)
  if (signal !== null) throw new Error(`${args.join(' ')} was killed by ${signal} (timeout?); stderr: ${stderr.slice(-2000)}`)
  return { code, stdout, stderr }
}

/** Runs a command line in `sh -c` to its end (SIGKILLed after timeoutMs): exit code, stdout and stderr. */
export async function shell (command: string, opts: CliOptions = {}): Promise<Result> {
  const proc = spawn('sh', ['-c', command], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...opts.env },
    cwd: opts.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so a timeout kills the whole pipeline, not just sh.
    detached: true
  })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  proc.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  proc.stdin.on('error', () => {})
  proc.stdin.end(opts.input)
  const timer = setTimeout(() => { try { process.kill(-(proc.pid as number), 'SIGKILL') } catch {} }, opts.timeoutMs ?? 60_000)
  return await new Promise<Result>((resolve, reject) => {
    proc.on('error', reject)
    proc.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }) })
  })
}
