import type { Duplex } from 'node:stream'

/**
 * Writes one chunk into a long-lived Transform and returns what it pushed for it: everything readable
 * by the time its write callback ran (a Transform pushes a chunk's outputs before calling back). Reads
 * while waiting, so a chunk with more outputs than the readable highWaterMark cannot stall the callback.
 */
export async function throughDuplex (stage: Duplex, chunk: unknown): Promise<unknown[]> {
  const out: unknown[] = []
  const take = (): void => {
    for (let c = stage.read() as unknown; c !== null; c = stage.read() as unknown) out.push(c)
  }
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => { done(); reject(err) }
    const done = (): void => { stage.off('readable', take); stage.off('error', fail) }
    stage.on('readable', take).once('error', fail)
    if (stage.destroyed || stage.writableEnded) { done(); reject(stage.errored ?? new Error('the Transform stage was destroyed or ended by an earlier invocation')); return }
    stage.write(chunk, (err) => { done(); if (err != null) reject(err); else resolve() })
  })
  take()
  return out
}
