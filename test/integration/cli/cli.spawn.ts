import type { ChildProcess } from 'node:child_process'
import { CLI, cliResult } from '../../helpers/child.js'

export type { CliOptions, Result } from '../../helpers/child.js'

/** The built binary, as npm's bin link runs it. */
export const BIN_PATH = CLI

/** Spawns `node dist/src/cli/main.js …args` and collects its output; stdin gets `input` then EOF. */
export const cli = cliResult

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
