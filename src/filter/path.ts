import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { isReservedWord } from './reserved.js'
import type { Cursor } from './lexer.js'

/** A document path resolved to its steps: attribute names (placeholders replaced) and list indexes. */
export interface DocPath {
  steps: Array<string | number>
  /** The path as written, for messages. */
  text: string
  pos: number
}

/** The names map of an expression, and the placeholders it used (DynamoDB refuses unused ones). */
export interface NameScope {
  names: Readonly<Record<string, string>>
  used: Set<string>
}

/** Reads `a.#b[2].c` from the cursor: a name first, then `.name` or `[index]` steps. */
export function readPath (c: Cursor, scope: NameScope): DocPath {
  const first = c.peek()
  const steps: Array<string | number> = [readName(c, scope)]
  for (;;) {
    if (c.accept('.')) steps.push(readName(c, scope))
    else if (c.accept('[')) {
      const t = c.next()
      if (t.type !== 'number') throw c.error(t, 'expected a list index (digits)')
      const index = Number(t.text)
      if (!Number.isSafeInteger(index)) throw c.error(t, 'list index too large')
      steps.push(index)
      c.expect(']')
    } else break
  }
  const end = c.peek().pos
  return { steps, text: c.expr.slice(first.pos, end).trim(), pos: first.pos }
}

function readName (c: Cursor, scope: NameScope): string {
  const t = c.next()
  if (t.type === 'placeholder') {
    const name = Object.prototype.hasOwnProperty.call(scope.names, t.text) ? scope.names[t.text] : undefined
    if (name === undefined) throw c.error(t, `expression attribute name ${t.text} is not defined in expressionAttributeNames`)
    scope.used.add(t.text)
    return name
  }
  if (t.type !== 'name') throw c.error(t, 'expected an attribute name or #placeholder')
  if (isReservedWord(t.text)) throw c.error(t, `${t.text} is a DynamoDB reserved word: write a #placeholder and map it in expressionAttributeNames`)
  return t.text
}

const own = Object.prototype.hasOwnProperty

/** The value at a path of an item, or undefined when any step is missing or of the wrong container type. */
export function resolvePath (item: Record<string, AttributeValue>, steps: ReadonlyArray<string | number>): AttributeValue | undefined {
  const first = steps[0] as string
  let cur: AttributeValue | undefined = own.call(item, first) ? item[first] : undefined
  for (let i = 1; i < steps.length && cur !== undefined; i++) {
    const s = steps[i] as string | number
    if (typeof s === 'number') cur = cur.L !== undefined ? cur.L[s] : undefined
    else {
      const m: Record<string, AttributeValue> | undefined = cur.M ?? (isBareMap(cur) ? {} : undefined)
      cur = m !== undefined && own.call(m, s) ? m[s] : undefined
    }
  }
  return cur
}

/** DynamoDB Local's GetRecords writes an empty map as a bare `{}` (NOTES §6): read it as M {}. */
export function isBareMap (v: AttributeValue): boolean {
  for (const _k in v) return false
  return true
}
