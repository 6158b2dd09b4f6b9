import type { ScanCommandInput } from '@aws-sdk/client-dynamodb'
import type { OptionSpec } from '../options/options.js'
import { compileExpressions, type ExpressionValue, type Item, type ItemPredicate } from '../filter/index.js'
import { checkedPredicate, type ChangeFilter } from '../filter/change.js'
import { parseProjection } from '../filter/projection.js'

/** Filter and projection options, shared by createSource and createChangeStream (docs/filter.md). */
export const FILTER_SPECS: readonly OptionSpec[] = [
  { name: 'filter', setting: 'filter.expression', kind: 'string', doc: 'Capture only items matching this DynamoDB condition (Scan FilterExpression syntax); CDC evaluates it on the old and new images (needs NEW_AND_OLD_IMAGES): an item updated out of the filter becomes a delete, one updated into it a create.' },
  { name: 'projection', setting: 'filter.projection', kind: 'string', doc: 'Keep only these attributes (comma-separated document paths, ProjectionExpression syntax) in every image; the key attributes are always kept.' },
  { name: 'expressionAttributeNames', setting: 'filter.names', kind: 'json', doc: '#placeholder → attribute name for filter and projection (a setting: a JSON object).' },
  { name: 'expressionAttributeValues', setting: 'filter.values', kind: 'json', doc: ':placeholder → value for the filter, as AttributeValues ({"S":"a"}) or native values (a setting: a JSON object).' },
  { name: 'itemFilter', kind: 'function', doc: 'CDC only: a JS predicate (image) => boolean over the raw DynamoDB image ({ pk: { S: "a" }, … }), applied to the old and new images like filter (and together with it when both are given); createSource refuses it unless skipSnapshot (Scan cannot run it).' }
]

export interface FilterOptions {
  filter?: string
  projection?: string
  expressionAttributeNames?: Record<string, string>
  expressionAttributeValues?: Record<string, ExpressionValue>
  /** CDC only: a predicate over the raw image, with filter's old/new semantics. */
  itemFilter?: (image: Item) => boolean
}

/** The compiled filter: what CDC applies to stream images and what the snapshot sends to Scan. */
export interface SourceFilter {
  change: ChangeFilter
  /** True when a filter (not only a projection) is given: CDC then needs old images. */
  filters: boolean
  /** Scan parameters for a table with these key attributes (the projection always keeps them). */
  scan: (keyNames: readonly string[]) => Pick<ScanCommandInput, 'FilterExpression' | 'ProjectionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>
}

/** Compiles the options once (refusing what Scan would refuse, ERR_DDB_INVALID_EXPRESSION); undefined without filter and projection. */
export function compileSourceFilter (o: FilterOptions): SourceFilter | undefined {
  if (o.filter === undefined && o.projection === undefined && o.itemFilter === undefined) return undefined
  const compiled = compileExpressions(o)
  const names = o.expressionAttributeNames ?? {}
  const filter = bothFilters(compiled.filter, o.itemFilter)
  return {
    change: { ...(filter !== undefined ? { filter } : {}), ...(compiled.projection !== undefined ? { projection: compiled.projection } : {}) },
    filters: filter !== undefined,
    scan: (keyNames) => {
      const outNames: Record<string, string> = { ...names }
      let projection = o.projection
      if (projection !== undefined) {
        // Keys not already projected are added through placeholders (a key may be a reserved word).
        const top = new Set(parseProjection(projection, { names, used: new Set() }).map((p) => p.steps[0]))
        keyNames.filter((k) => !top.has(k)).forEach((k, i) => {
          let ph = `#opencdcKey${i}`
          while (ph in outNames) ph += '_'
          outNames[ph] = k
          projection += `, ${ph}`
        })
      }
      const values = compiled.values
      return {
        ...(o.filter !== undefined ? { FilterExpression: o.filter } : {}),
        ...(projection !== undefined ? { ProjectionExpression: projection } : {}),
        ...(Object.keys(outNames).length > 0 ? { ExpressionAttributeNames: outNames } : {}),
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {})
      }
    }
  }
}

// An item is in when it matches the expression and the predicate (each, when given).
function bothFilters (expression: ItemPredicate | undefined, fn: ((image: Item) => boolean) | undefined): ItemPredicate | undefined {
  if (fn === undefined) return expression
  const user = checkedPredicate(fn)
  return expression === undefined ? user : (item) => expression(item) && user(item)
}
