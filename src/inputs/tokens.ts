import { decodeNumber } from '../model/codec.js'
import { setOwn } from '../model/own-property.js'

/** A packed stream-json token (the parser runs with streamValues: false). */
export interface Token { name: string, value?: string }

type Container = unknown[] | Record<string, unknown>

/**
 * Assembles one JSON value from stream-json tokens. Number literals go through decodeNumber, so a long
 * number keeps every digit (a PreciseNumber) instead of JSON.parse's rounding.
 */
export class ValueBuilder {
  #stack: Container[] = []
  #keys: Array<string | undefined> = []
  #key: string | undefined
  value: unknown

  /** Feeds one token; true when a whole value is complete (then in `value`). */
  feed (t: Token): boolean {
    switch (t.name) {
      case 'startObject': return this.#open({})
      case 'startArray': return this.#open([])
      case 'endObject':
      case 'endArray': {
        const done = this.#stack.pop() as Container
        this.#key = this.#keys.pop()
        return this.#put(done)
      }
      case 'keyValue': this.#key = t.value; return false
      case 'stringValue': return this.#put(t.value)
      case 'numberValue': return this.#put(decodeNumber(t.value as string))
      case 'nullValue': return this.#put(null)
      case 'trueValue': return this.#put(true)
      case 'falseValue': return this.#put(false)
      default: return false
    }
  }

  #open (c: Container): boolean {
    this.#stack.push(c)
    this.#keys.push(this.#key)
    this.#key = undefined
    return false
  }

  #put (v: unknown): boolean {
    const top = this.#stack[this.#stack.length - 1]
    if (top === undefined) { this.value = v; return true }
    if (Array.isArray(top)) top.push(v)
    else setOwn(top, this.#key as string, v)
    return false
  }
}

/** Where a value sat in its document: the page (0-based top-level value) and its index in that page's list. */
export interface ValueWhere { page: number, index: number }

export type DocumentShape = 'scan' | 'array'

/** A broken rule of the document's shape, thrown to the caller which names the file. */
export class ShapeError extends Error {
  constructor (readonly rule: string, readonly where: Partial<ValueWhere>) { super(rule) }
}

const DESCRIBE: Record<string, string> = { startObject: 'an object', startArray: 'an array', stringValue: 'a string', numberValue: 'a number', nullValue: 'null', trueValue: 'true', falseValue: 'false' }

/**
 * The shape of a token stream: `scan` = one or more `{"Items":[…],"Count":n,…}` pages (what `aws dynamodb
 * scan` / `query` print, pages concatenated); `array` = one top-level array. Calls `onValue` for each list
 * element, in constant memory: only one element is assembled at a time.
 */
export class DocumentReader {
  #shape: DocumentShape
  #onValue: (value: unknown, where: ValueWhere) => void
  #page = -1
  #index = 0
  #state: 'top' | 'page' | 'value' | 'list' | 'element' | 'after' = 'top'
  #key: string | undefined
  #count: unknown
  #sawItems = false
  #builder: ValueBuilder | undefined

  constructor (shape: DocumentShape, onValue: (value: unknown, where: ValueWhere) => void) {
    this.#shape = shape
    this.#onValue = onValue
  }

  /** Items seen in the current page (or the array). */
  get index (): number { return this.#index }
  get page (): number { return this.#page }

  feed (t: Token): void {
    switch (this.#state) {
      case 'top': return this.#top(t)
      case 'page': return this.#pageKey(t)
      case 'value': return this.#pageValue(t)
      case 'list': return this.#listElement(t)
      case 'element': return this.#element(t)
      case 'after': throw new ShapeError('expected a single JSON array, found more after its end', { page: this.#page })
    }
  }

  /** The input ended: a page or the array left open is an error (the parser reports truncated JSON first). */
  end (): void {
    if (this.#page < 0) throw new ShapeError(this.#shape === 'scan' ? 'no scan page found (expected {"Items":[…]})' : 'no JSON array found', {})
  }

  #top (t: Token): void {
    if (this.#shape === 'array') {
      if (t.name !== 'startArray') throw new ShapeError(`expected a JSON array of OpenCDC records, found ${DESCRIBE[t.name] ?? t.name}`, {})
      this.#page = 0
      this.#state = 'list'
      return
    }
    if (t.name !== 'startObject') throw new ShapeError(`expected a scan page (an object like {"Items":[…]}), found ${DESCRIBE[t.name] ?? t.name}`, { page: this.#page + 1 })
    this.#page++
    this.#index = 0
    this.#count = undefined
    this.#sawItems = false
    this.#state = 'page'
  }

  #pageKey (t: Token): void {
    if (t.name === 'keyValue') { this.#key = t.value; this.#state = 'value'; return }
    // endObject: the page is complete; its Count (when printed) must match the items read.
    if (!this.#sawItems) throw new ShapeError('the page has no "Items" list (is this `aws dynamodb scan` or `query` output?)', { page: this.#page })
    if (this.#count !== undefined && this.#count !== this.#index) {
      throw new ShapeError(`the page says "Count": ${String(this.#count)} but holds ${this.#index} items`, { page: this.#page })
    }
    this.#state = 'top'
  }

  #pageValue (t: Token): void {
    if (this.#key === 'Items') {
      if (t.name !== 'startArray') throw new ShapeError(`"Items" must be a list, found ${DESCRIBE[t.name] ?? t.name}`, { page: this.#page })
      this.#sawItems = true
      this.#state = 'list'
      return
    }
    // Count, ScannedCount, LastEvaluatedKey, NextToken, ConsumedCapacity: read (small) and kept only for Count.
    this.#builder ??= new ValueBuilder()
    if (!this.#builder.feed(t)) { this.#state = 'element'; this.#key = '\u0000skip:' + (this.#key ?? ''); return }
    if (this.#key === 'Count') this.#count = this.#builder.value
    this.#state = 'page'
  }

  #listElement (t: Token): void {
    if (t.name === 'endArray') { this.#state = this.#shape === 'array' ? 'after' : 'page'; return }
    this.#builder ??= new ValueBuilder()
    if (this.#builder.feed(t)) this.#emit(this.#builder.value)
    else this.#state = 'element'
  }

  #element (t: Token): void {
    const b = this.#builder as ValueBuilder
    if (!b.feed(t)) return
    const key = this.#key
    if (key !== undefined && key.startsWith('\u0000skip:')) {
      if (key === '\u0000skip:Count') this.#count = b.value
      this.#state = 'page'
      return
    }
    this.#state = 'list'
    this.#emit(b.value)
  }

  #emit (value: unknown): void {
    const where = { page: this.#page, index: this.#index++ }
    this.#onValue(value, where)
  }
}
