import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { fromAttributeMap, fromAttributeValue, pathOf, type AttributeMap, type Trail } from '../../model/codec.js'
import { OpenCDCError } from '../../errors/index.js'
import type { StructuredData, Value } from '../../model/record.js'
import { setOwn } from '../../model/own-property.js'

/**
 * A stream image (NewImage / OldImage, from GetRecords or a Lambda event) → structured data. As
 * fromAttributeMap, except that a bare `{}` is an empty map, at any depth: DynamoDB Local 3.x's GetRecords
 * drops the `M` of empty maps (docs/cdc.md), and no other type serializes that way. Any other value with no
 * known type throws ERR_DDB_INVALID_VALUE naming its path (`$.a.b[2]`) and its shape.
 */
export function fromStreamImage (image: AttributeMap): StructuredData {
  // The strict codec first: well-formed images (all of AWS's) pay nothing for the quirk.
  try { return fromAttributeMap(image) } catch {}
  return mapAt(image, [], true)
}

/** Stream Keys → structured data: strict (a key is S, N or B, never a map), errors naming path and shape. */
export function fromStreamKeys (keys: AttributeMap): StructuredData {
  try { return fromAttributeMap(keys) } catch {}
  return mapAt(keys, [], false)
}

function mapAt (map: unknown, trail: Trail, emptyIsMap: boolean): StructuredData {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw shapeError(trail, map, 'is not a map of attribute values')
  const out: StructuredData = {}
  for (const k in map) {
    trail.push(k)
    setOwn(out, k, valueAt((map as Record<string, unknown>)[k], trail, emptyIsMap))
    trail.pop()
  }
  return out
}

function valueAt (v: unknown, trail: Trail, emptyIsMap: boolean): Value {
  if (typeof v !== 'object' || v === null) throw shapeError(trail, v, 'is not an attribute value')
  const a = v as AttributeValue
  // Containers are walked here (so their members get the same rule) in the codec's order of precedence.
  if (a.S === undefined && a.N === undefined) {
    if (a.M !== undefined) return mapAt(a.M, trail, emptyIsMap)
    if (a.BOOL === undefined && a.NULL === undefined && a.L !== undefined) {
      if (!Array.isArray(a.L)) throw shapeError(trail, v, 'has an L that is not a list')
      const list = new Array<Value>(a.L.length)
      for (let i = 0; i < a.L.length; i++) {
        trail.push(i)
        list[i] = valueAt(a.L[i], trail, emptyIsMap)
        trail.pop()
      }
      return list
    }
  }
  if (emptyIsMap && isBareObject(v)) return {}
  try { return fromAttributeValue(a) } catch {}
  throw shapeError(trail, v, 'has no known DynamoDB type')
}

function isBareObject (v: object): boolean {
  if (Object.getPrototypeOf(v) !== Object.prototype) return false
  for (const _ in v) return false
  return true
}

function shapeError (trail: Trail, v: unknown, rule: string): OpenCDCError {
  const path = pathOf('', trail)
  const shape = renderShape(v)
  return new OpenCDCError('ERR_DDB_INVALID_VALUE', `attribute ${path} ${rule}: ${shape}`, { path, shape })
}

/** A value as compact JSON for an error (bytes as base64, the SDK's `$unknown` member as the wire had it), cut at 200 characters. */
export function renderShape (v: unknown): string {
  let text: string
  try {
    text = JSON.stringify(v, (_k, x: unknown) => {
      if (x instanceof Uint8Array) return Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64')
      if (typeof x === 'bigint') return x.toString()
      // The SDK turns a member it does not know, like {"X":1}, into {"$unknown":["X",1]}.
      const unknown = (x as { $unknown?: unknown } | null)?.$unknown
      if (Array.isArray(unknown) && unknown.length === 2 && typeof unknown[0] === 'string') return { [unknown[0]]: unknown[1] }
      return x
    }) ?? String(v)
  } catch {
    text = String(v)
  }
  return text.length > 200 ? `${text.slice(0, 199)}…` : text
}
