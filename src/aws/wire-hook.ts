/**
 * A per-command fast path for the body of a 200 response: two middlewares on the command's own stack (so a
 * caller's own client works too), around the SDK's deserializer, which is left in place:
 * - `openCdcWireBody` (deserialize step, priority low: innermost, right after the HTTP handler) reads a 200
 *   body, decodes it with `decode`, keeps the result in the handler context and gives the SDK's deserializer
 *   the body `{}` (so it still builds `$metadata` from the headers, at no cost);
 * - `openCdcWireOutput` (deserialize step, priority high: outside the SDK's deserializer, inside retries)
 *   puts the decoded output in place of the SDK's, keeping the SDK's `$metadata`.
 * Any other status (errors, throttling) and any body `decode` rejects go to the SDK untouched, so error codes,
 * `$metadata` and retries stay the SDK's. Each response counts as `fast` or `sdk` in wireStats.
 */

interface Stack { add: (mw: unknown, options: { step: string, priority: string, name: string }) => void }
interface Result { response?: { statusCode?: number, body?: unknown }, output?: Record<string, unknown> }
type Handler = (args: unknown) => Promise<Result>
type Context = Record<PropertyKey, unknown>

const DECODED = Symbol('openCdcWireDecoded')

const stats = { fast: 0, sdk: 0 }

/** How many 200 responses were decoded by the fast path (`fast`) and by the SDK (`sdk`) so far in this process. */
export function wireStats (): { fast: number, sdk: number } { return { ...stats } }

/** The command, with its 200 response decoded by `decode(JSON.parse(body))` instead of the SDK's deserializer. */
export function withWireDecode<C extends { middlewareStack: unknown }> (command: C, decode: (body: unknown) => object): C {
  const stack = command.middlewareStack as Stack
  stack.add((next: Handler, context: Context) => async (args: unknown): Promise<Result> => {
    const result = await next(args)
    const response = result.response
    // An output already built means the SDK's deserializer ran inside us (its order changed): leave it be.
    if (result.output !== undefined || response?.statusCode !== 200) return result
    const bytes = await collect(response.body)
    try {
      context[DECODED] = decode(JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')))
      response.body = new Uint8Array([0x7b, 0x7d])
    } catch {
      response.body = bytes
    }
    return result
  }, { step: 'deserialize', priority: 'low', name: 'openCdcWireBody' })
  stack.add((next: Handler, context: Context) => async (args: unknown): Promise<Result> => {
    const result = await next(args)
    const decoded = context[DECODED] as object | undefined
    if (decoded === undefined) {
      if (result.response?.statusCode === 200) stats.sdk++
      return result
    }
    context[DECODED] = undefined
    stats.fast++
    return { ...result, output: { ...decoded, $metadata: result.output?.$metadata } }
  }, { step: 'deserialize', priority: 'high', name: 'openCdcWireOutput' })
  return command
}

async function collect (body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body
  if (body === undefined || body === null) return new Uint8Array()
  const chunks: Buffer[] = []
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks)
}
