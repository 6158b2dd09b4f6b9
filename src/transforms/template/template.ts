import { isPreciseNumber, isStructuredData, type OpenCDCRecord } from '../../model/record.js'
import { parseTemplate, templateError, type Command, type Node, type Operand, type Pipeline } from './parse.js'
import { FUNCS, isTruthy, printValue } from './funcs.js'

/** The data a template sees, named as in Conduit's Go record struct. */
export function templateView (record: OpenCDCRecord): Record<string, unknown> {
  return {
    Position: record.position,
    Operation: record.operation,
    Metadata: record.metadata,
    Key: record.key,
    Payload: { Before: record.payload.before, After: record.payload.after }
  }
}

class Scope {
  #vars: Map<string, unknown>[] = []
  push (): void { this.#vars.push(new Map()) }
  pop (): void { this.#vars.pop() }
  declare (name: string, v: unknown): void { (this.#vars[this.#vars.length - 1] as Map<string, unknown>).set(name, v) }
  assign (name: string, v: unknown, line: number): void {
    for (let i = this.#vars.length - 1; i >= 0; i--) {
      const m = this.#vars[i] as Map<string, unknown>
      if (m.has(name)) { m.set(name, v); return }
    }
    throw templateError(line, `undefined variable ${name}`)
  }

  get (name: string, line: number): unknown {
    for (let i = this.#vars.length - 1; i >= 0; i--) {
      const m = this.#vars[i] as Map<string, unknown>
      if (m.has(name)) return m.get(name)
    }
    throw templateError(line, `undefined variable ${name}`)
  }
}

function field (base: unknown, path: string[], line: number, baseName: string): unknown {
  let v = base
  let where = baseName
  for (const name of path) {
    if (v === null || v === undefined) throw templateError(line, `can't read .${name}: ${where} is null`)
    if (v instanceof Map) {
      if (!v.has(name)) throw templateError(line, `missing key "${name}" in ${where}`)
      v = v.get(name)
    } else if (typeof v === 'object' && (isStructuredData(v) || Object.getPrototypeOf(v) === Object.prototype)) {
      if (!Object.prototype.hasOwnProperty.call(v, name)) throw templateError(line, `missing key "${name}" in ${where} (test it with {{if hasKey ${where} "${name}"}})`)
      v = (v as Record<string, unknown>)[name]
    } else {
      throw templateError(line, `can't read .${name}: ${where} is not a map`)
    }
    where = `${where === '.' ? '' : where}.${name}`
  }
  return v
}

class Exec {
  #out: string[] = []
  #scope = new Scope()
  #root: unknown
  constructor (root: unknown) { this.#root = root; this.#scope.push(); this.#scope.declare('$', root) }

  run (nodes: Node[]): string { this.#list(nodes, this.#root); return this.#out.join('') }

  #list (nodes: Node[], dot: unknown): void {
    for (const n of nodes) this.#node(n, dot)
  }

  #node (n: Node, dot: unknown): void {
    switch (n.kind) {
      case 'text': this.#out.push(n.text); return
      case 'action': {
        const v = this.#pipeline(n.pipe, dot)
        if (n.pipe.decl.length === 0) this.#out.push(printValue(v, n.line, 'the value'))
        return
      }
      case 'if': case 'with': {
        this.#scope.push()
        const v = this.#pipeline(n.pipe, dot)
        if (isTruthy(v)) this.#list(n.body, n.kind === 'with' ? v : dot)
        else this.#list(n.otherwise, dot)
        this.#scope.pop()
        return
      }
      case 'range': this.#range(n, dot)
    }
  }

  #range (n: Extract<Node, { kind: 'range' }>, dot: unknown): void {
    this.#scope.push()
    const decl = n.pipe.decl
    const v = this.#pipeline({ ...n.pipe, decl: [] }, dot)
    let entries: Array<[unknown, unknown]>
    if (Array.isArray(v)) entries = v.map((x, i) => [i, x])
    else if (v instanceof Set) entries = [...v].map((x, i) => [i, x])
    else if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !isPreciseNumber(v)) entries = Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])
    else if (v === null || v === undefined) entries = []
    else throw templateError(n.line, `range can't iterate over ${typeof v}`)
    if (entries.length === 0) this.#list(n.otherwise, dot)
    for (const [k, x] of entries) {
      this.#scope.push()
      if (decl.length === 1) this.#scope.declare(decl[0] as string, x)
      if (decl.length === 2) { this.#scope.declare(decl[0] as string, k); this.#scope.declare(decl[1] as string, x) }
      this.#list(n.body, x)
      this.#scope.pop()
    }
    this.#scope.pop()
  }

  #pipeline (p: Pipeline, dot: unknown): unknown {
    let v: unknown
    let first = true
    for (const c of p.commands) { v = this.#command(c, dot, first ? undefined : { value: v }); first = false }
    if (p.decl.length > 1) throw templateError(p.line, 'only range declares two variables')
    if (p.decl.length === 1) {
      if (p.assign) this.#scope.assign(p.decl[0] as string, v, p.line)
      else this.#scope.declare(p.decl[0] as string, v)
    }
    return v
  }

  #command (c: Command, dot: unknown, piped: { value: unknown } | undefined): unknown {
    if (c.name === null) {
      if (piped !== undefined) throw templateError(c.line, `can't pipe into ${c.args.length > 0 ? 'a value' : 'nothing'}; a pipeline stage must be a function`)
      return this.#operand(c.args[0] as Operand, dot)
    }
    const fn = FUNCS[c.name]
    if (fn === undefined) throw templateError(c.line, `function "${c.name}" is not supported (supported: ${Object.keys(FUNCS).join(', ')})`)
    if (c.name === 'and' || c.name === 'or') {
      // Go evaluates and/or lazily, so guards like {{if and (hasKey . "a") .a}} work.
      const args = piped === undefined ? c.args : [...c.args, null]
      let last: unknown
      for (const a of args) {
        last = a === null ? (piped as { value: unknown }).value : this.#operand(a, dot)
        if (c.name === 'and' ? !isTruthy(last) : isTruthy(last)) return last
      }
      return last
    }
    const args = c.args.map((a) => this.#operand(a, dot))
    if (piped !== undefined) args.push(piped.value)
    return fn(args, c.line)
  }

  #operand (o: Operand, dot: unknown): unknown {
    switch (o.kind) {
      case 'dot': return dot
      case 'literal': return o.value
      case 'var': return this.#scope.get(o.name, o.line)
      case 'pipe': return this.#pipeline(o.pipe, dot)
      case 'field': {
        const base = o.base === null ? dot : this.#operand(o.base, dot)
        const baseName = o.base === null ? '.' : o.base.kind === 'var' ? o.base.name : '(…)'
        return field(base, o.path, o.line, baseName)
      }
    }
  }
}

/**
 * Compiles Go-template text (the subset in docs/transforms.md) into a function from record to text.
 * Parse errors throw here; a missing key or null value throws when the record is rendered.
 */
export function compileTemplate (text: string): (record: OpenCDCRecord) => string {
  const nodes = parseTemplate(text)
  return (record) => new Exec(templateView(record)).run(nodes)
}
