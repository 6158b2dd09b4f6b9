/** Every chunk an async iterable (a Readable, a generator) yields, in order; rejects with the error it ends with. */
export async function collect<T> (it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
