import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { expressionError } from './lexer.js'
import type { Condition, Operand } from './parse.js'
import { resolvePath } from './path.js'
import { bytesInclude, compareBytes, compareNumbers, equalValues, order, TYPE_NAMES, typeOf, type TypeName } from './values.js'

export type Item = Record<string, AttributeValue>
/** A compiled filter: true when the item matches. */
export type ItemPredicate = (item: Item) => boolean
type Get = (item: Item) => AttributeValue | undefined

interface Ctx { expr: string, values: Map<string, AttributeValue>, used: Set<string> }

const SCALARS = new Set<TypeName | undefined>(['N', 'S', 'B'])

/** The condition as a tree of closures: parsing, placeholders and operand checks happen once, not per record. */
export function compileCondition (cond: Condition, ctx: Ctx): ItemPredicate {
  switch (cond.kind) {
    case 'and': { const l = compileCondition(cond.left, ctx); const r = compileCondition(cond.right, ctx); return (i) => l(i) && r(i) }
    case 'or': { const l = compileCondition(cond.left, ctx); const r = compileCondition(cond.right, ctx); return (i) => l(i) || r(i) }
    case 'not': { const a = compileCondition(cond.arg, ctx); return (i) => !a(i) }
    case 'compare': {
      distinct(ctx, cond.left, [cond.right], cond.op)
      const l = operand(ctx, cond.left)
      const r = operand(ctx, cond.right)
      if (cond.op === '=') return (i) => same(l(i), r(i))
      if (cond.op === '<>') return (i) => !same(l(i), r(i))
      for (const o of [cond.left, cond.right]) orderable(ctx, o, cond.op)
      const test = ({ '<': (n: number) => n < 0, '<=': (n: number) => n <= 0, '>': (n: number) => n > 0, '>=': (n: number) => n >= 0 })[cond.op]
      return (i) => { const n = ordered(l(i), r(i)); return n !== undefined && test(n) }
    }
    case 'between': {
      distinct(ctx, cond.subject, [cond.low, cond.high], 'BETWEEN')
      for (const o of [cond.subject, cond.low, cond.high]) orderable(ctx, o, 'BETWEEN')
      boundsInOrder(ctx, cond.low, cond.high)
      const s = operand(ctx, cond.subject)
      const lo = operand(ctx, cond.low)
      const hi = operand(ctx, cond.high)
      return (i) => {
        const v = s(i)
        const a = ordered(v, lo(i))
        if (a === undefined || a < 0) return false
        const b = ordered(v, hi(i))
        return b !== undefined && b <= 0
      }
    }
    case 'in': {
      distinct(ctx, cond.subject, cond.list, 'IN')
      const s = operand(ctx, cond.subject)
      const list = cond.list.map((o) => operand(ctx, o))
      return (i) => { const v = s(i); return v !== undefined && list.some((g) => same(v, g(i))) }
    }
    case 'call': return call(cond, ctx)
  }
}

function call (cond: Extract<Condition, { kind: 'call' }>, ctx: Ctx): ItemPredicate {
  const [first, second] = cond.args as [Operand, Operand | undefined]
  switch (cond.name) {
    case 'attribute_exists':
    case 'attribute_not_exists': {
      const g = operand(ctx, needPath(ctx, first, cond.name))
      return cond.name === 'attribute_exists' ? (i) => g(i) !== undefined : (i) => g(i) === undefined
    }
    case 'attribute_type': {
      const g = operand(ctx, needPath(ctx, first, cond.name))
      const want = typeName(ctx, second as Operand)
      return (i) => { const v = g(i); return v !== undefined && typeOf(v) === want }
    }
    case 'begins_with': {
      distinct(ctx, first, [second as Operand], cond.name)
      for (const o of cond.args) if (!['S', 'B', undefined].includes(staticType(ctx, o))) throw typeError(ctx, o, cond.name)
      const a = operand(ctx, first)
      const b = operand(ctx, second as Operand)
      return (i) => {
        const x = a(i)
        const y = b(i)
        if (x === undefined || y === undefined) return false
        if (x.S !== undefined) return y.S !== undefined && x.S.startsWith(y.S)
        return x.B !== undefined && y.B !== undefined && y.B.length <= x.B.length && bytesInclude(x.B.subarray(0, y.B.length), y.B)
      }
    }
    case 'contains': {
      distinct(ctx, first, [second as Operand], cond.name)
      const a = operand(ctx, first)
      const b = operand(ctx, second as Operand)
      return (i) => { const x = a(i); const y = b(i); return x !== undefined && y !== undefined && contains(x, y) }
    }
  }
}

function contains (x: AttributeValue, y: AttributeValue): boolean {
  if (x.S !== undefined) return y.S !== undefined && x.S.includes(y.S)
  if (x.B !== undefined) return y.B !== undefined && bytesInclude(x.B, y.B)
  if (x.SS !== undefined) return y.S !== undefined && x.SS.includes(y.S)
  if (x.NS !== undefined) { const n = y.N; return n !== undefined && x.NS.some((m) => compareNumbers(m, n) === 0) }
  if (x.BS !== undefined) { const b = y.B; return b !== undefined && x.BS.some((m) => compareBytes(m, b) === 0) }
  if (x.L !== undefined) return x.L.some((e) => equalValues(e, y))
  return false
}

const same = (a: AttributeValue | undefined, b: AttributeValue | undefined): boolean => a !== undefined && b !== undefined && equalValues(a, b)
const ordered = (a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined => a === undefined || b === undefined ? undefined : order(a, b)

function operand (ctx: Ctx, o: Operand): Get {
  switch (o.kind) {
    case 'value': { const v = value(ctx, o); return () => v }
    case 'path': {
      const steps = o.path.steps
      if (steps.length === 1) { const name = steps[0] as string; return (i) => Object.prototype.hasOwnProperty.call(i, name) ? i[name] : undefined }
      return (i) => resolvePath(i, steps)
    }
    case 'size': {
      const t = staticType(ctx, o.arg)
      if (t === 'N' || t === 'BOOL' || t === 'NULL') throw typeError(ctx, o.arg, 'size')
      const g = operand(ctx, o.arg)
      return (i) => { const v = g(i); const n = v === undefined ? undefined : sizeOf(v); return n === undefined ? undefined : { N: String(n) } }
    }
  }
}

/** size(): string length in UTF-16 units (as DynamoDB Local counts), bytes, set members, list or map entries; none for N, BOOL, NULL. */
function sizeOf (v: AttributeValue): number | undefined {
  if (v.S !== undefined) return v.S.length
  if (v.B !== undefined) return v.B.length
  const c = v.L ?? v.SS ?? v.NS ?? v.BS
  if (c !== undefined) return c.length
  if (v.M !== undefined) return Object.keys(v.M).length
  return typeOf(v) === 'M' ? 0 : undefined
}

function value (ctx: Ctx, o: Extract<Operand, { kind: 'value' }>): AttributeValue {
  const v = ctx.values.get(o.name)
  if (v === undefined) throw expressionError('FilterExpression', ctx.expr, o.pos, `expression attribute value ${o.name} is not defined in expressionAttributeValues`)
  ctx.used.add(o.name)
  return v
}

/** The type an operand has before any item is seen: a value's own, N for size(), unknown for a path. */
function staticType (ctx: Ctx, o: Operand): TypeName | undefined {
  if (o.kind === 'size') return 'N'
  return o.kind === 'value' ? typeOf(value(ctx, o)) : undefined
}

function orderable (ctx: Ctx, o: Operand, op: string): void {
  const t = staticType(ctx, o)
  if (t !== undefined && !SCALARS.has(t)) throw typeError(ctx, o, op)
}

function boundsInOrder (ctx: Ctx, low: Operand, high: Operand): void {
  if (low.kind !== 'value' || high.kind !== 'value') return
  const a = value(ctx, low)
  const b = value(ctx, high)
  if (typeOf(a) !== typeOf(b)) throw expressionError('FilterExpression', ctx.expr, low.pos, `BETWEEN needs bounds of one type, got ${String(typeOf(a))} and ${String(typeOf(b))}`)
  if ((order(a, b) as number) > 0) throw expressionError('FilterExpression', ctx.expr, low.pos, 'BETWEEN needs the lower bound first: lower bound is greater than upper bound')
}

function typeError (ctx: Ctx, o: Operand, op: string): Error {
  return expressionError('FilterExpression', ctx.expr, o.pos, `operand of type ${String(staticType(ctx, o))} is not allowed for ${op}`)
}

function needPath (ctx: Ctx, o: Operand, fn: string): Operand {
  if (o.kind !== 'path') throw expressionError('FilterExpression', ctx.expr, o.pos, `${fn} needs an attribute path`)
  return o
}

function typeName (ctx: Ctx, o: Operand): TypeName {
  if (o.kind !== 'value') throw expressionError('FilterExpression', ctx.expr, o.pos, 'attribute_type needs a :value naming the type')
  const v = value(ctx, o)
  if (v.S === undefined) throw typeError(ctx, o, 'attribute_type')
  if (!(TYPE_NAMES as readonly string[]).includes(v.S)) throw expressionError('FilterExpression', ctx.expr, o.pos, `attribute_type's type must be one of ${TYPE_NAMES.join(' ')}, got ${JSON.stringify(v.S)}`)
  return v.S as TypeName
}

/** DynamoDB refuses `a = a`, `a IN (b, a)`, `contains(a, a)`: the first operand must differ from the others. */
function distinct (ctx: Ctx, first: Operand, others: Operand[], op: string): void {
  if (first.kind !== 'path') return
  const key = JSON.stringify(first.path.steps)
  const twin = others.find((o) => o.kind === 'path' && JSON.stringify(o.path.steps) === key)
  if (twin !== undefined) throw expressionError('FilterExpression', ctx.expr, twin.pos, `the first operand of ${op} must differ from the others (${first.path.text})`)
}
