import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { toAttributeMap, type AttributeMap } from '../../../src/model/codec.js'
import { PreciseNumber, type OpenCDCRecord, type StructuredData } from '../../../src/model/record.js'
import { itemDiffs } from '../../helpers/attribute-diff.js'
import { scanAll as scanItems } from '../../helpers/universe-db.js'

/** Every item of a table, keyed by the string value of `id` (or `pk|sk`). */
export async function scanAll (client: DynamoDBClient, table: string): Promise<Map<string, AttributeMap>> {
  const id = (item: AttributeMap): string => item.id?.S ?? item.id?.N ?? `${item.pk?.S ?? ''}|${item.sk?.N ?? item.sk?.S ?? ''}`
  return new Map((await scanItems(client, table)).map((item) => [id(item), item]))
}

/** True when two items are the same as DynamoDB stores them (an independent comparator, not the patch module's). */
export function sameItem (a: AttributeMap | undefined, b: AttributeMap | undefined): boolean {
  return itemDiffs(a, b).length === 0
}

export function expectedItem (data: StructuredData): AttributeMap {
  return toAttributeMap(data)
}

/** An item holding every DynamoDB type, nested too. */
export function everyType (i: number): StructuredData {
  return {
    id: `item-${String(i).padStart(6, '0')}`,
    s: `text ${i} — ünïcödé`,
    n: i * 3,
    neg: -i - 0.5,
    big: new PreciseNumber(`1234567890123456789012345678901234567${i % 10}`),
    tiny: new PreciseNumber('1E-130'),
    frac: new PreciseNumber('3.14159265358979323846264338327950288'),
    b: Buffer.from([i & 255, 0, 255, (i >> 8) & 255]),
    t: i % 2 === 0,
    nul: null,
    ss: new Set([`a${i}`, 'b', 'c']),
    ns: new Set([i, i + 0.25, new PreciseNumber('98765432109876543210987654321')]),
    bs: new Set([Buffer.from('x'), Buffer.from([i & 255, 1])]),
    l: [1, 'two', null, true, [new PreciseNumber('0.1')], { deep: new Set(['q']) }],
    m: { inner: { n: i, bin: Buffer.from('yz'), list: [] }, empty: {} }
  }
}

export function fromArray (records: OpenCDCRecord[]): Readable {
  return Readable.from(records, { objectMode: true })
}

/** Writes records through a destination and resolves with the error the pipeline ended with, if any. */
export async function run (records: OpenCDCRecord[], dest: Writable): Promise<Error | undefined> {
  return await pipeline(fromArray(records), dest).then(() => undefined, (err: Error) => err)
}

export { xorshift as seededRandom } from '../../helpers/random.js'
