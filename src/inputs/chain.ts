import { getManyValues, isFlushable, isMany, none } from 'stream-chain/defs.js'

/** A stream-chain stage (returns a value, `many(…)`, `none` or a generator); flushables are called with `none` at the end. */
export type Stage = (value: unknown) => unknown

/** Runs one sync stage on a value and returns what it produced, as an array (stream-chain's value protocol). */
function runStage (stage: Stage, value: unknown): unknown[] {
  const out = stage(value)
  if (out === none || out === undefined) return []
  if (isMany(out)) return getManyValues(out)
  if (typeof out === 'object' && out !== null && typeof (out as Iterator<unknown>).next === 'function' && Symbol.iterator in out) return [...(out as Iterable<unknown>)]
  return [out]
}

/**
 * Feeds a chunk through sync stages in order (or, given `none`, flushes each stage after feeding it
 * what the previous flush produced). Sync on purpose: no promise per token.
 */
export function runStages (stages: readonly Stage[], chunk: unknown): unknown[] {
  const flushing = chunk === none
  let values = flushing ? [] : [chunk]
  for (const stage of stages) {
    const next: unknown[] = []
    for (const v of values) for (const x of runStage(stage, v)) next.push(x)
    if (flushing && isFlushable(stage)) for (const x of runStage(stage, none)) next.push(x)
    values = next
  }
  return values
}
