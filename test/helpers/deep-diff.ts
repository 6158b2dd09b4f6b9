/**
 * The first difference between two values as `path: what`, or undefined when they are equal: same own
 * enumerable keys (in any order), same prototypes (a Buffer is not a Uint8Array), Dates by time, bytes by content.
 */
export function deepDiff (a: unknown, b: unknown, path = '$'): string | undefined {
  if (Object.is(a, b)) return undefined
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path}: ${String(a)} (${typeof a}) vs ${String(b)} (${typeof b})`
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: a ${a.constructor?.name} vs a ${b.constructor?.name}`
  if (a instanceof Date) return a.getTime() === (b as Date).getTime() ? undefined : `${path}: ${a.toISOString()} vs ${(b as Date).toISOString()}`
  if (a instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b as Uint8Array)) ? undefined : `${path}: other bytes`
  const ka = Object.keys(a).sort()
  const kb = Object.keys(b).sort()
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${path}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`
  for (const k of ka) {
    const d = deepDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
    if (d !== undefined) return d
  }
  return undefined
}
