import { isUsageError } from '../../src/cli/support/args.js'

/** The message of the usage error fn throws; any other outcome fails the test. */
export function usage (fn: () => unknown): string {
  try { fn() } catch (err) {
    if (isUsageError(err)) return (err as Error).message
    throw err
  }
  throw new Error('expected a usage error')
}
