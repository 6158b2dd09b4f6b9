import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The built binary, as npm's bin link runs it. */
export const BIN_PATH = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url))

export interface Result { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }

export interface CliOptions {
  env?: NodeJS.ProcessEnv
  input?: string | Buffer
  /** Leave stdin open for the test to write to (default: EOF right away). */
  openStdin?: boolean
  cwd?: string
  timeoutMs?: number
}

/** Spawns `node dist/src/cli/main.js …args` and collects its output; stdin gets `input` then EOF. */
export function cli (args: string[], opts: CliOptions = {}): Promise<Result> & { child: ChildProcess } {
  const child = spawn(process.execPath, [BIN_PATH, ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...opts.env },
    cwd: opts.cwd,
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (c: Buffer) => { stdout += c.toString() })
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString() })
  child.stdin?.on('error', () => {})
  if (opts.input !== undefined) child.stdin?.end(opts.input)
  else if (opts.openStdin !== true) child.stdin?.end()
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }) })
  })
  return Object.assign(done, { child })
}

/** Resolves with stdout (or stderr) so far once it matches `re`. */
export function waitForOutput (child: ChildProcess, re: RegExp, timeoutMs = 60_000, from: 'stdout' | 'stderr' = 'stdout'): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${String(re)}; ${from} so far: ${seen}`)) }, timeoutMs)
    const onData = (c: Buffer): void => {
      seen += c.toString()
      if (re.test(seen)) { cleanup(); resolve(seen) }
    }
    const onClose = (): void => { cleanup(); reject(new Error(`exited before ${String(re)}; ${from}: ${seen}`)) }
    const cleanup = (): void => { clearTimeout(timer); child[from]?.off('data', onData); child.off('close', onClose) }
    child[from]?.on('data', onData)
    child.on('close', onClose)
  })
}
