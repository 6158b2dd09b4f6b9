import { Cursor, tokenize, type Token } from './lexer.js'
import { readPath, type DocPath, type NameScope } from './path.js'

export type Operand =
  | { kind: 'path', path: DocPath, pos: number }
  | { kind: 'value', name: string, pos: number }
  | { kind: 'size', arg: Operand, pos: number }

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>='
export type FunctionName = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains'

export type Condition =
  | { kind: 'and' | 'or', left: Condition, right: Condition }
  | { kind: 'not', arg: Condition }
  | { kind: 'compare', op: Comparator, left: Operand, right: Operand, pos: number }
  | { kind: 'between', subject: Operand, low: Operand, high: Operand, pos: number }
  | { kind: 'in', subject: Operand, list: Operand[], pos: number }
  | { kind: 'call', name: FunctionName, args: Operand[], pos: number }

const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>='])
const ARITY: Record<FunctionName, number> = { attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2 }
/** DynamoDB allows at most 100 operands after IN. */
const MAX_IN = 100

/**
 * Parses a condition with DynamoDB's precedence, loosest first: OR, AND, NOT, then parentheses,
 * functions, BETWEEN / IN and comparisons. Keywords are case-insensitive, function names are not.
 */
export function parseCondition (expr: string, scope: NameScope): Condition {
  const c = new Cursor('FilterExpression', expr, tokenize('FilterExpression', expr))
  if (c.peek().type === 'eof') throw c.error(c.peek(), 'expected a condition')
  const cond = parseOr(c, scope)
  const rest = c.peek()
  if (rest.type !== 'eof') throw c.error(rest, 'expected AND, OR or the end of the expression')
  return cond
}

function parseOr (c: Cursor, scope: NameScope): Condition {
  let left = parseAnd(c, scope)
  while (c.accept('OR')) left = { kind: 'or', left, right: parseAnd(c, scope) }
  return left
}

function parseAnd (c: Cursor, scope: NameScope): Condition {
  let left = parseNot(c, scope)
  while (c.accept('AND')) left = { kind: 'and', left, right: parseNot(c, scope) }
  return left
}

function parseNot (c: Cursor, scope: NameScope): Condition {
  if (c.accept('NOT')) return { kind: 'not', arg: parseNot(c, scope) }
  return parsePrimary(c, scope)
}

function parsePrimary (c: Cursor, scope: NameScope): Condition {
  if (c.accept('(')) {
    const inner = parseOr(c, scope)
    c.expect(')')
    return inner
  }
  const t = c.peek()
  if (isCall(c) && t.text !== 'size') {
    if (!(t.text in ARITY)) throw c.error(t, 'unknown function (attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size; names are case-sensitive)')
    const name = t.text as FunctionName
    c.next()
    return { kind: 'call', name, args: readArgs(c, scope, t, ARITY[name]), pos: t.pos }
  }
  const subject = parseOperand(c, scope)
  const op = c.peek()
  if (op.type === 'punct' && COMPARATORS.has(op.text)) {
    c.next()
    return { kind: 'compare', op: op.text as Comparator, left: subject, right: parseOperand(c, scope), pos: op.pos }
  }
  if (c.accept('BETWEEN')) {
    const low = parseOperand(c, scope)
    c.expect('AND')
    return { kind: 'between', subject, low, high: parseOperand(c, scope), pos: op.pos }
  }
  if (c.accept('IN')) {
    c.expect('(')
    const list = [parseOperand(c, scope)]
    while (c.accept(',')) list.push(parseOperand(c, scope))
    c.expect(')')
    if (list.length > MAX_IN) throw c.error(op, `IN takes at most ${MAX_IN} operands, got ${list.length}`)
    return { kind: 'in', subject, list, pos: op.pos }
  }
  if (subject.kind === 'size' && op.type !== 'name') throw c.error(t, 'size() is an operand: compare it, e.g. size(a) > :n')
  throw c.error(op, 'expected a comparator (= <> < <= > >=), BETWEEN or IN')
}

function isCall (c: Cursor): boolean {
  const next = c.peek(1)
  return c.peek().type === 'name' && next.type === 'punct' && next.text === '('
}

function parseOperand (c: Cursor, scope: NameScope): Operand {
  const t = c.peek()
  if (t.type === 'value') {
    c.next()
    return { kind: 'value', name: t.text, pos: t.pos }
  }
  if (isCall(c)) {
    if (t.text !== 'size') throw c.error(t, t.text in ARITY ? 'this function is a condition, not an operand' : 'unknown function (only size() is an operand; names are case-sensitive)')
    c.next()
    return { kind: 'size', arg: readArgs(c, scope, t, 1)[0] as Operand, pos: t.pos }
  }
  if (t.type === 'name' || t.type === 'placeholder') return { kind: 'path', path: readPath(c, scope), pos: t.pos }
  throw c.error(t, 'expected an attribute path, a :value or size(…)')
}

function readArgs (c: Cursor, scope: NameScope, fn: Token, arity: number): Operand[] {
  c.expect('(')
  const args = [parseOperand(c, scope)]
  while (c.accept(',')) args.push(parseOperand(c, scope))
  c.expect(')')
  if (args.length !== arity) throw c.error(fn, `${fn.text} takes ${arity} operand${arity === 1 ? '' : 's'}, got ${args.length}`)
  return args
}
