import { OpenCDCError } from '../errors/index.js'

/**
 * Takes Node's `signal` stream option out of a factory's options: it goes to the stream itself (aborting it
 * destroys the stream with an AbortError, like Node's own streams), not to the option resolver.
 */
export function takeSignal<T extends object> (input: T | undefined, label: string): { signal: AbortSignal | undefined, rest: T } {
  if (input === undefined || input === null || !('signal' in input)) return { signal: undefined, rest: input as T }
  const { signal, ...rest } = input as T & { signal?: unknown }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `${label}: signal: expected an AbortSignal, got ${typeof signal}`, { option: 'signal' })
  }
  return { signal, rest: rest as T }
}
