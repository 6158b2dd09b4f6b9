import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { bindValues, checkAllUsed, checkNames, type ExpressionValue } from './bind.js'
import { compileCondition, type ItemPredicate } from './compile.js'
import { parseCondition } from './parse.js'
import type { NameScope } from './path.js'
import { compileProjectionPaths, parseProjection, type ItemProjector } from './projection.js'

export type { ExpressionValue } from './bind.js'
export type { Item, ItemPredicate } from './compile.js'
export type { ItemProjector } from './projection.js'

export interface ExpressionInput {
  /** A DynamoDB condition, as Scan's FilterExpression. */
  filter?: string
  /** Comma-separated document paths, as Scan's ProjectionExpression. */
  projection?: string
  expressionAttributeNames?: Record<string, string>
  expressionAttributeValues?: Record<string, ExpressionValue>
  /** Attribute names the projection always keeps (the table's key). */
  keys?: readonly string[]
}

export interface CompiledExpressions {
  filter?: ItemPredicate
  projection?: ItemProjector
  /** The values as AttributeValues, ready for Scan's ExpressionAttributeValues. */
  values: Record<string, AttributeValue>
}

/**
 * Compiles a filter and a projection once, with DynamoDB's checks (syntax, reserved words, placeholders
 * defined and used — names count across both expressions, as in one Scan call — operand types), so an
 * input Scan would refuse is refused here before any read.
 */
export function compileExpressions (input: ExpressionInput): CompiledExpressions {
  const names = input.expressionAttributeNames ?? {}
  checkNames(names)
  const values = bindValues(input.expressionAttributeValues ?? {})
  const scope: NameScope = { names, used: new Set() }
  const usedValues = new Set<string>()
  const out: CompiledExpressions = { values: Object.fromEntries(values) }
  if (input.filter !== undefined) out.filter = compileCondition(parseCondition(input.filter, scope), { expr: input.filter, values, used: usedValues })
  if (input.projection !== undefined) out.projection = compileProjectionPaths(input.projection, parseProjection(input.projection, scope), input.keys ?? [])
  checkAllUsed('expressionAttributeNames', Object.keys(names), scope.used)
  checkAllUsed('expressionAttributeValues', values.keys(), usedValues)
  return out
}

/** A filter expression as a predicate over raw DynamoDB items. */
export function compileFilter (filter: string, opts: Omit<ExpressionInput, 'filter' | 'projection' | 'keys'> = {}): ItemPredicate {
  return compileExpressions({ ...opts, filter }).filter as ItemPredicate
}

/** A projection expression as a function from item to projected item (keys kept). */
export function compileProjection (projection: string, opts: Pick<ExpressionInput, 'expressionAttributeNames' | 'keys'> = {}): ItemProjector {
  return compileExpressions({ ...opts, projection }).projection as ItemProjector
}
