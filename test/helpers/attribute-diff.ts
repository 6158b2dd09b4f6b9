import type { AttributeValue } from '@aws-sdk/client-dynamodb'

/** A DynamoDB number as "mantissa e exponent" with the mantissa's trailing zeros moved into the exponent (BigInt arithmetic, no code from src/). */
export function decimalValue (text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim())
  if (m === null || `${m[2] ?? ''}${m[3] ?? ''}` === '') throw new Error(`not a DynamoDB number: ${JSON.stringify(text)}`)
  let mantissa = BigInt(`${m[2] ?? ''}${m[3] ?? ''}` || '0')
  let exponent = Number(m[4] ?? 0) - (m[3] ?? '').length
  if (mantissa === 0n) return '0'
  while (mantissa % 10n === 0n) { mantissa /= 10n; exponent++ }
  return `${m[1] === '-' ? '-' : ''}${mantissa}e${exponent}`
}

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')

/** Where two raw attribute values differ as DynamoDB stores them (numbers by value, sets unordered), or undefined. */
export function attributeDiff (a: AttributeValue | undefined, b: AttributeValue | undefined, path = '$'): string | undefined {
  if (a === undefined || b === undefined) return a === b ? undefined : `${path}: ${a === undefined ? 'missing' : 'present'} ≠ ${b === undefined ? 'missing' : 'present'}`
  const [ta, tb] = [typesOf(a), typesOf(b)]
  if (ta.length !== 1 || tb.length !== 1 || ta[0] !== tb[0]) return `${path}: type ${ta.join()} ≠ ${tb.join()}`
  const same = (x: string, y: string): string | undefined => x === y ? undefined : `${path}: ${x} ≠ ${y}`
  if (a.S !== undefined) return same(JSON.stringify(a.S), JSON.stringify(b.S))
  if (a.N !== undefined) return same(decimalValue(a.N), decimalValue(b.N as string))
  if (a.B !== undefined) return same(base64(a.B), base64(b.B as Uint8Array))
  if (a.BOOL !== undefined) return same(String(a.BOOL), String(b.BOOL))
  if (a.NULL !== undefined) return same(String(a.NULL), String(b.NULL))
  if (a.SS !== undefined) return same(members(a.SS), members(b.SS as string[]))
  if (a.NS !== undefined) return same(members(a.NS.map(decimalValue)), members((b.NS as string[]).map(decimalValue)))
  if (a.BS !== undefined) return same(members(a.BS.map(base64)), members((b.BS as Uint8Array[]).map(base64)))
  if (a.L !== undefined) {
    const bl = b.L as AttributeValue[]
    if (a.L.length !== bl.length) return `${path}: ${a.L.length} list elements ≠ ${bl.length}`
    for (let i = 0; i < a.L.length; i++) {
      const d = attributeDiff(a.L[i], bl[i], `${path}[${i}]`)
      if (d !== undefined) return d
    }
    return undefined
  }
  return itemDiff(a.M as Record<string, AttributeValue>, b.M as Record<string, AttributeValue>, path)
}

/** Where two raw items differ (attribute names compared as sets), or undefined. */
export function itemDiff (a: Record<string, AttributeValue> | undefined, b: Record<string, AttributeValue> | undefined, path = '$'): string | undefined {
  if (a === undefined || b === undefined) return a === b ? undefined : `${path}: item ${a === undefined ? 'missing' : 'present'} ≠ ${b === undefined ? 'missing' : 'present'}`
  const names = members(Object.keys(a))
  if (names !== members(Object.keys(b))) return `${path}: attributes ${names} ≠ ${members(Object.keys(b))}`
  for (const k of Object.keys(a).sort()) {
    const d = attributeDiff(a[k], b[k], `${path}.${k}`)
    if (d !== undefined) return d
  }
  return undefined
}

function typesOf (v: AttributeValue): string[] {
  return Object.entries(v).filter(([, x]) => x !== undefined).map(([k]) => k)
}

function members (xs: string[]): string {
  return JSON.stringify([...xs].sort())
}
