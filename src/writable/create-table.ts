import type {
  AttributeDefinition, CreateTableCommandInput, GlobalSecondaryIndex, GlobalSecondaryIndexDescription, KeySchemaElement,
  LocalSecondaryIndex, LocalSecondaryIndexDescription, Projection, StreamViewType, TableDescription
} from '@aws-sdk/client-dynamodb'

/** What the created table copies beyond keys, indexes and billing mode. */
export interface CreateLikeOptions {
  /** Turn a stream on in the created table (the source's own stream is not copied: a copy needs none). */
  stream?: StreamViewType
}

function keys (schema: KeySchemaElement[] | undefined): KeySchemaElement[] {
  return (schema ?? []).map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType }))
}

function projection (p: Projection | undefined): Projection {
  const out: Projection = { ProjectionType: p?.ProjectionType ?? 'ALL' }
  if (p?.NonKeyAttributes !== undefined && p.NonKeyAttributes.length > 0) out.NonKeyAttributes = [...p.NonKeyAttributes]
  return out
}

function provisioned (desc: TableDescription, t: { ReadCapacityUnits?: number, WriteCapacityUnits?: number } | undefined): { ProvisionedThroughput?: { ReadCapacityUnits: number, WriteCapacityUnits: number } } {
  if (billingMode(desc) !== 'PROVISIONED') return {}
  return { ProvisionedThroughput: { ReadCapacityUnits: Math.max(1, t?.ReadCapacityUnits ?? 1), WriteCapacityUnits: Math.max(1, t?.WriteCapacityUnits ?? 1) } }
}

// DescribeTable omits BillingModeSummary for tables that were always provisioned.
function billingMode (desc: TableDescription): 'PROVISIONED' | 'PAY_PER_REQUEST' {
  return desc.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED'
}

function gsi (desc: TableDescription, g: GlobalSecondaryIndexDescription): GlobalSecondaryIndex {
  return { IndexName: g.IndexName, KeySchema: keys(g.KeySchema), Projection: projection(g.Projection), ...provisioned(desc, g.ProvisionedThroughput) }
}

function lsi (l: LocalSecondaryIndexDescription): LocalSecondaryIndex {
  return { IndexName: l.IndexName, KeySchema: keys(l.KeySchema), Projection: projection(l.Projection) }
}

/**
 * The CreateTable input of a table like `desc` (a DescribeTable result) named `name`: key schema, the
 * attribute definitions, global and local secondary indexes (keys, projection; throughput only when
 * billing is PROVISIONED), billing mode, and optionally a stream. Pure: no AWS call.
 */
export function createTableInput (desc: TableDescription, name: string, opts: CreateLikeOptions = {}): CreateTableCommandInput {
  const defs: AttributeDefinition[] = (desc.AttributeDefinitions ?? []).map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType }))
  const input: CreateTableCommandInput = {
    TableName: name,
    KeySchema: keys(desc.KeySchema),
    AttributeDefinitions: defs,
    BillingMode: billingMode(desc),
    ...provisioned(desc, desc.ProvisionedThroughput)
  }
  if (desc.GlobalSecondaryIndexes !== undefined && desc.GlobalSecondaryIndexes.length > 0) input.GlobalSecondaryIndexes = desc.GlobalSecondaryIndexes.map((g) => gsi(desc, g))
  if (desc.LocalSecondaryIndexes !== undefined && desc.LocalSecondaryIndexes.length > 0) input.LocalSecondaryIndexes = desc.LocalSecondaryIndexes.map(lsi)
  if (opts.stream !== undefined) input.StreamSpecification = { StreamEnabled: true, StreamViewType: opts.stream }
  return input
}

/** A table's primary key as text: `pk (S, HASH), sk (N, RANGE)`. */
export function keySchemaText (desc: TableDescription): string {
  const types = new Map((desc.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]))
  const ordered = [...desc.KeySchema ?? []].sort((x, y) => (x.KeyType === 'HASH' ? 0 : 1) - (y.KeyType === 'HASH' ? 0 : 1))
  const parts = ordered.map((k) => `${k.AttributeName ?? '?'} (${types.get(k.AttributeName) ?? '?'}, ${k.KeyType ?? '?'})`)
  return parts.length > 0 ? parts.join(', ') : '(no key schema)'
}

/**
 * Why a destination table cannot take the source's items as they are, or undefined when it can: the same
 * key attribute names in the same roles (HASH, RANGE) with the same scalar types. Indexes and billing do not
 * matter for a copy (an index key of another type fails the item it concerns, named by the writer).
 */
export function keySchemaMismatch (source: TableDescription, destination: TableDescription): string | undefined {
  const a = keySchemaText(source)
  const b = keySchemaText(destination)
  if (a === b) return undefined
  return `the destination's primary key is ${b}; the source's is ${a}`
}
