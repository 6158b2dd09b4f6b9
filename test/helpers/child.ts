import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The built CLI (npm test builds before tap runs). */
export const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url))

export interface Child {
  proc: ChildProcess
  readonly stdout: string
  readonly stderr: string
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** SIGKILL, then wait for the exit. */
  kill: () => Promise<void>
}

/** Runs the CLI with `args` in a child process, collecting its output. */
export function runCli (args: string[], opts: { env?: NodeJS.ProcessEnv, input?: string | Buffer } = {}): Child {
  const proc = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  proc.stdout?.on('data', (c: Buffer) => { stdout += c.toString() })
  proc.stderr?.on('data', (c: Buffer) => { stderr += c.toString() })
  proc.stdin?.on('error', () => {})
  if (opts.input !== undefined) proc.stdin?.end(opts.input)
  else proc.stdin?.end()
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

/** Runs the CLI to its end: exit code, stdout and stderr; killed (and failed) after timeoutMs. */
export async function cli (args: string[], opts: { env?: NodeJS.ProcessEnv, input?: string | Buffer, timeoutMs?: number } = {}): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = runCli(args, opts)
  const timer = setTimeout(() => { child.proc.kill('SIGKILL') }, opts.timeoutMs ?? 60_000)
  const { code, signal } = await child.exited
  clearTimeout(timer)
  if (signal !== null) throw new Error(`${args.join(' ')} was killed by ${signal} (timeout?); stderr: ${child.stderr.slice(-2000)}`)
  return { code, stdout: child.stdout, stderr: child.stderr }
}
