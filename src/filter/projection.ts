import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { setOwn } from '../model/own-property.js'
import { Cursor, expressionRuleError, tokenize } from './lexer.js'
import { readPath, type DocPath, type NameScope } from './path.js'

type Item = Record<string, AttributeValue>
/** A compiled projection: a new item holding only the projected parts (and the key attributes). */
export type ItemProjector = (item: Item) => Item

interface Node { leaf: boolean, names: Map<string, Node>, indexes: Map<number, Node> }
const node = (): Node => ({ leaf: false, names: new Map(), indexes: new Map() })

/** Parses `a, b.c, l[1]` into paths. */
export function parseProjection (expr: string, scope: NameScope): DocPath[] {
  const c = new Cursor('ProjectionExpression', expr, tokenize('ProjectionExpression', expr))
  const paths = [readPath(c, scope)]
  while (c.accept(',')) paths.push(readPath(c, scope))
  const rest = c.peek()
  if (rest.type !== 'eof') throw c.error(rest, 'expected , or the end of the expression')
  return paths
}

/** The paths as one tree; DynamoDB refuses paths that overlap (one inside another) or conflict (a name and an index at one step). */
function pathTree (expr: string, paths: DocPath[]): Node {
  const root = node()
  for (const p of paths) {
    let n = root
    for (const s of p.steps) {
      if (n.leaf) throw overlap(expr, p)
      const here = typeof s === 'number' ? n.indexes : n.names
      const there = typeof s === 'number' ? n.names : n.indexes
      if (there.size > 0 && n !== root) throw expressionRuleError('ProjectionExpression', expr, `paths conflict: ${p.text} reads as ${typeof s === 'number' ? 'a list' : 'a map'} what another path reads as ${typeof s === 'number' ? 'a map' : 'a list'}`)
      let next = (here as Map<string | number, Node>).get(s)
      if (next === undefined) (here as Map<string | number, Node>).set(s, next = node())
      n = next
    }
    if (n.leaf || n.names.size > 0 || n.indexes.size > 0) throw overlap(expr, p)
    n.leaf = true
  }
  return root
}

function overlap (expr: string, p: DocPath): Error {
  return expressionRuleError('ProjectionExpression', expr, `paths overlap: ${p.text} is, contains or lies inside another path`)
}

/**
 * Compiles a projection with Scan's semantics: nested maps keep only the projected names, lists only the
 * projected elements (in index order, compacted), parts that are missing are left out. `keys` are always kept.
 */
export function compileProjectionPaths (expr: string, paths: DocPath[], keys: readonly string[]): ItemProjector {
  const root = pathTree(expr, paths)
  const extra = keys.filter((k) => !root.names.has(k))
  return (item) => {
    const out = projectMap(root, item) ?? {}
    for (const k of extra) if (Object.prototype.hasOwnProperty.call(item, k)) setOwn(out, k, item[k] as AttributeValue)
    return out
  }
}

function projectMap (n: Node, m: Item): Item | undefined {
  let out: Item | undefined
  for (const [name, child] of n.names) {
    if (!Object.prototype.hasOwnProperty.call(m, name)) continue
    const v = project(child, m[name] as AttributeValue)
    if (v !== undefined) setOwn(out ??= {}, name, v)
  }
  return out
}

function project (n: Node, v: AttributeValue): AttributeValue | undefined {
  if (n.leaf) return v
  if (n.names.size > 0) {
    const m = v.M ?? (Object.keys(v).length === 0 ? {} : undefined)
    const inner = m === undefined ? undefined : projectMap(n, m)
    return inner === undefined ? undefined : { M: inner }
  }
  if (v.L === undefined) return undefined
  const list: AttributeValue[] = []
  for (const i of [...n.indexes.keys()].sort((a, b) => a - b)) {
    const e = v.L[i]
    const p = e === undefined ? undefined : project(n.indexes.get(i) as Node, e)
    if (p !== undefined) list.push(p)
  }
  return list.length > 0 ? { L: list } : undefined
}
