import { OpenCDCError } from '../errors/index.js'

/** Which expression an error names: the Scan parameter the text would be sent as. */
export type ExpressionKind = 'FilterExpression' | 'ProjectionExpression'

export type TokenType = 'name' | 'number' | 'value' | 'placeholder' | 'punct' | 'eof'

export interface Token {
  type: TokenType
  text: string
  /** 0-based offset of the token's first character in the expression. */
  pos: number
}

/** A coded error naming the expression, the 1-based column and what stands there. */
export function expressionError (kind: ExpressionKind, expr: string, pos: number, rule: string): OpenCDCError {
  const near = expr.slice(pos, pos + 20)
  return new OpenCDCError('ERR_DDB_INVALID_EXPRESSION', `invalid ${kind} at column ${pos + 1}${near === '' ? ' (end)' : ` near ${JSON.stringify(near)}`}: ${rule}`, { expression: kind, text: expr, column: pos + 1, rule })
}

/** A coded error about the expression as a whole (names and values maps, conflicting paths). */
export function expressionRuleError (kind: ExpressionKind, expr: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_EXPRESSION', `invalid ${kind} ${JSON.stringify(expr)}: ${rule}`, { expression: kind, text: expr, rule })
}

const PUNCT = ['<>', '<=', '>=', '=', '<', '>', '(', ')', ',', '.', '[', ']']

/** Splits an expression into tokens; DynamoDB's names are a letter then letters, digits or `_`. */
export function tokenize (kind: ExpressionKind, expr: string): Token[] {
  const out: Token[] = []
  const word = /[A-Za-z0-9_]*/y
  let i = 0
  while (i < expr.length) {
    const c = expr[i] as string
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue }
    const start = i
    if (/[A-Za-z]/.test(c) || /[0-9]/.test(c) || c === ':' || c === '#') {
      word.lastIndex = c === ':' || c === '#' ? i + 1 : i
      word.exec(expr)
      const text = expr.slice(start, word.lastIndex)
      if (c === ':' || c === '#') {
        if (text.length === 1) throw expressionError(kind, expr, start, `${c} must be followed by letters, digits or _`)
        out.push({ type: c === ':' ? 'value' : 'placeholder', text, pos: start })
      } else if (/^[0-9]+$/.test(text)) {
        out.push({ type: 'number', text, pos: start })
      } else if (/[0-9]/.test(c)) {
        throw expressionError(kind, expr, start, 'a name must start with a letter')
      } else {
        out.push({ type: 'name', text, pos: start })
      }
      i = word.lastIndex
      continue
    }
    const p = PUNCT.find((s) => expr.startsWith(s, i))
    if (p === undefined) throw expressionError(kind, expr, start, `unexpected character ${JSON.stringify(c)}`)
    out.push({ type: 'punct', text: p, pos: start })
    i += p.length
  }
  out.push({ type: 'eof', text: '', pos: expr.length })
  return out
}

/** A read position over the tokens, with the expression kept for error messages. */
export class Cursor {
  #i = 0
  constructor (readonly kind: ExpressionKind, readonly expr: string, readonly tokens: Token[]) {}

  peek (ahead = 0): Token {
    return this.tokens[Math.min(this.#i + ahead, this.tokens.length - 1)] as Token
  }

  next (): Token {
    const t = this.peek()
    if (t.type !== 'eof') this.#i++
    return t
  }

  /** True (and consumed) when the next token is this punctuation or keyword (keywords case-insensitively). */
  accept (text: string): boolean {
    const t = this.peek()
    const hit = t.type === 'punct' ? t.text === text : t.type === 'name' && t.text.toUpperCase() === text
    if (hit) this.#i++
    return hit
  }

  expect (text: string): Token {
    const t = this.peek()
    if (!this.accept(text)) throw this.error(t, `expected ${text}`)
    return t
  }

  error (t: Token, rule: string): OpenCDCError {
    return expressionError(this.kind, this.expr, t.pos, t.type === 'eof' ? `${rule}, found the end` : `${rule}, found ${JSON.stringify(t.text)}`)
  }
}
