import { decodeNumber } from './codec.js'
import { setOwn } from './own-property.js'

/**
 * The reference lossless JSON parser: a plain recursive descent that reads every number token
 * through decodeNumber. parseJSONLossless (src/model/json-value.ts) only falls back to it; tests compare the two.
 */
export function parseJSONExact (text: string): unknown {
  return new ExactParser(text).parseDocument()
}

class ExactParser {
  #text: string
  #i = 0

  constructor (text: string) { this.#text = text }

  parseDocument (): unknown {
    const value = this.#value()
    this.#ws()
    if (this.#i !== this.#text.length) this.#fail('unexpected trailing characters')
    return value
  }

  #fail (what: string): never {
    throw new SyntaxError(`${what} in JSON at position ${this.#i}`)
  }

  #ws (): void {
    const t = this.#text
    while (this.#i < t.length) {
      const c = t.charCodeAt(this.#i)
      if (c === 32 || c === 9 || c === 10 || c === 13) this.#i++
      else break
    }
  }

  #value (): unknown {
    this.#ws()
    const t = this.#text
    const c = t[this.#i]
    if (c === '{') return this.#object()
    if (c === '[') return this.#array()
    if (c === '"') return this.#string()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.#number()
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (t.startsWith(word, this.#i)) { this.#i += word.length; return v }
    }
    return this.#fail(c === undefined ? 'unexpected end' : `unexpected token ${JSON.stringify(c)}`)
  }

  #object (): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    this.#i++
    this.#ws()
    if (this.#text[this.#i] === '}') { this.#i++; return out }
    for (;;) {
      this.#ws()
      if (this.#text[this.#i] !== '"') this.#fail('expected a property name')
      const key = this.#string()
      this.#ws()
      if (this.#text[this.#i] !== ':') this.#fail("expected ':'")
      this.#i++
      setOwn(out, key, this.#value())
      this.#ws()
      const c = this.#text[this.#i++]
      if (c === '}') return out
      if (c !== ',') { this.#i--; this.#fail("expected ',' or '}'") }
    }
  }

  #array (): unknown[] {
    const out: unknown[] = []
    this.#i++
    this.#ws()
    if (this.#text[this.#i] === ']') { this.#i++; return out }
    for (;;) {
      out.push(this.#value())
      this.#ws()
      const c = this.#text[this.#i++]
      if (c === ']') return out
      if (c !== ',') { this.#i--; this.#fail("expected ',' or ']'") }
    }
  }

  #string (): string {
    const t = this.#text
    const start = this.#i
    this.#i++
    while (this.#i < t.length) {
      const c = t[this.#i]
      if (c === '\\') this.#i += 2
      else if (c === '"') { this.#i++; return JSON.parse(t.slice(start, this.#i)) as string } else this.#i++
    }
    return this.#fail('unterminated string')
  }

  #number (): unknown {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
    m.lastIndex = this.#i
    const found = m.exec(this.#text)
    if (found === null) return this.#fail('invalid number')
    this.#i += found[0].length
    return decodeNumber(found[0])
  }
}
