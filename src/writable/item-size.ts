import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { canonicalDecimal, plainIntegerDigits, type AttributeMap } from '../model/codec.js'

/** DynamoDB's item size limit (400 KB, names included). */
export const MAX_ITEM_BYTES = 400 * 1024

function utf8 (text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** A number's stored size: 1 byte per two significant digits, plus 1 (AWS rule; leading/trailing zeros trimmed). */
export function numberSize (text: string): number {
  // Most N texts are plain integers (every safe JS integer prints so): their significant digits are the text
  // less its sign and trailing zeros, counted without the decimal parse (a regex and three string copies per number).
  const plain = plainIntegerDigits(text)
  if (plain > 0) {
    let end = text.length
    while (text.charCodeAt(end - 1) === 48) end--
    return Math.ceil((plain - (text.length - end)) / 2) + 1
  }
  const canonical = canonicalDecimal(text)
  const digits = canonical === undefined ? text.replace(/\D/g, '') : canonical.replace(/^-/, '').replace(/e.*$/, '')
  return Math.ceil(digits.length / 2) + 1
}

/** Size of one attribute value per the AWS item-size rules (lists and maps: 3 bytes + 1 per element). */
export function attributeValueSize (value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S)
  if (value.N !== undefined) return numberSize(value.N)
  if (value.B !== undefined) return value.B.byteLength
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + utf8(s), 0)
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + numberSize(s), 0)
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.byteLength, 0)
  if (value.L !== undefined) return value.L.reduce((n, v) => n + 1 + attributeValueSize(v), 3)
  if (value.M !== undefined) return Object.entries(value.M).reduce((n, [k, v]) => n + 1 + utf8(k) + attributeValueSize(v), 3)
  return 0
}

/** Item size: each attribute's name length in UTF-8 bytes plus its value size. */
export function itemSize (item: AttributeMap): number {
  let total = 0
  for (const [name, value] of Object.entries(item)) total += utf8(name) + attributeValueSize(value)
  return total
}
