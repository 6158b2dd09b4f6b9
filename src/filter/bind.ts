import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { numberRule, toAttributeValue } from '../model/codec.js'
import { OpenCDCError } from '../errors/index.js'
import type { Value } from '../model/record.js'
import { TYPE_NAMES, typeOf, type TypeName } from './values.js'

/** An expressionAttributeValues entry: an AttributeValue ({ S: 'x' }) or a native value ('x', 5, new Set([...]) …). */
export type ExpressionValue = AttributeValue | Value

function invalid (rule: string, details: Record<string, unknown>): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_EXPRESSION', rule, details)
}

/** Checks expressionAttributeNames: `#` keys of letters, digits and `_`, non-empty string names. */
export function checkNames (names: Readonly<Record<string, string>>): void {
  if (typeof names !== 'object' || names === null) throw invalid('expressionAttributeNames must be an object', {})
  for (const [k, v] of Object.entries(names)) {
    if (!/^#[A-Za-z0-9_]+$/.test(k)) throw invalid(`expressionAttributeNames key ${JSON.stringify(k)} must be # followed by letters, digits or _`, { name: k })
    if (typeof v !== 'string' || v === '') throw invalid(`expressionAttributeNames ${k} must be a non-empty attribute name`, { name: k })
  }
}

/** A value written as a one-type AttributeValue object is taken as one; anything else is a native value, encoded by the codec. */
function looksLikeAttributeValue (v: unknown): v is AttributeValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array || v instanceof Set) return false
  const keys = Object.keys(v)
  return keys.length === 1 && (TYPE_NAMES as readonly string[]).includes(keys[0] as string)
}

/** expressionAttributeValues as checked AttributeValues (DynamoDB's rules: numbers, non-empty sets, NULL true). */
export function bindValues (values: Readonly<Record<string, ExpressionValue>>): Map<string, AttributeValue> {
  if (typeof values !== 'object' || values === null) throw invalid('expressionAttributeValues must be an object', {})
  const out = new Map<string, AttributeValue>()
  for (const k of Object.keys(values)) {
    if (!/^:[A-Za-z0-9_]+$/.test(k)) throw invalid(`expressionAttributeValues key ${JSON.stringify(k)} must be : followed by letters, digits or _`, { value: k })
    const raw = values[k]
    let av: AttributeValue
    try {
      av = looksLikeAttributeValue(raw) ? raw : toAttributeValue(raw as Value, k)
    } catch (err) {
      throw invalid(`expressionAttributeValues ${k} cannot be a DynamoDB value: ${(err as Error).message}`, { value: k })
    }
    const rule = valueRule(av)
    if (rule !== undefined) throw invalid(`expressionAttributeValues ${k} is not a valid DynamoDB value: ${rule}`, { value: k })
    out.set(k, av)
  }
  return out
}

function valueRule (v: AttributeValue): string | undefined {
  const t: TypeName | undefined = typeOf(v)
  if (t === undefined || Object.keys(v).length !== 1) return 'an AttributeValue holds exactly one of S N B BOOL NULL SS NS BS L M'
  switch (t) {
    case 'N': return numberRule(String(v.N))
    case 'NULL': return v.NULL === true ? undefined : 'NULL must be true'
    case 'SS': case 'NS': case 'BS': {
      const members = (v[t] ?? []) as unknown[]
      if (members.length === 0) return `an ${t} may not be empty`
      return t === 'NS' ? members.map((n) => numberRule(String(n))).find((r) => r !== undefined) : undefined
    }
    case 'L': return (v.L ?? []).map(valueRule).find((r) => r !== undefined)
    case 'M': {
      const m = v.M ?? {}
      for (const k of Object.keys(m)) {
        const r = valueRule(m[k] as AttributeValue)
        if (r !== undefined) return r
      }
      return undefined
    }
    default: return undefined
  }
}

/** DynamoDB refuses names and values the expressions do not use; so do we, so both phases accept the same input. */
export function checkAllUsed (what: 'expressionAttributeNames' | 'expressionAttributeValues', given: Iterable<string>, used: Set<string>): void {
  const unused = [...given].filter((k) => !used.has(k))
  if (unused.length > 0) throw invalid(`${what} not used in the expressions: ${unused.join(', ')}`, { unused })
}
