import { OpenCDCError } from '../../errors/index.js'

/** Parsed Go-template subset. Every node keeps its template line for error messages. */
export type Operand =
  | { kind: 'dot', line: number }
  | { kind: 'field', base: Operand | null, path: string[], line: number }
  | { kind: 'var', name: string, line: number }
  | { kind: 'literal', value: string | number | boolean | null, line: number }
  | { kind: 'pipe', pipe: Pipeline, line: number }

export interface Command { name: string | null, args: Operand[], line: number }
export interface Pipeline { decl: string[], assign: boolean, commands: Command[], line: number }

export type Node =
  | { kind: 'text', text: string }
  | { kind: 'action', pipe: Pipeline, line: number }
  | { kind: 'if' | 'with', pipe: Pipeline, body: Node[], otherwise: Node[], line: number }
  | { kind: 'range', pipe: Pipeline, body: Node[], otherwise: Node[], line: number }

const UNSUPPORTED = new Set(['define', 'template', 'block', 'break', 'continue'])

export function templateError (line: number, message: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_TEMPLATE', `template: line ${line}: ${message}`, { line })
}

type Token = { t: 'field', v: string[] } | { t: 'dot' } | { t: 'var', v: string, path: string[] } | { t: 'ident', v: string } |
{ t: 'str' | 'num' | 'bool' | 'nil', v: string | number | boolean | null } | { t: 'punct', v: '(' | ')' | '|' | ':=' | '=' | ',' }

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y
const FIELDS = /(?:\.[A-Za-z_][A-Za-z0-9_]*)+/y
const NUMBER = /[+-]?(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/y

function lexAction (src: string, line: number): Token[] {
  const out: Token[] = []
  let i = 0
  const at = (re: RegExp): string | undefined => { re.lastIndex = i; const m = re.exec(src); return m === null ? undefined : m[0] }
  while (i < src.length) {
    const c = src[i] as string
    if (/\s/.test(c)) { i++; continue }
    if (c === '.') {
      const f = at(FIELDS)
      if (f !== undefined) { out.push({ t: 'field', v: f.slice(1).split('.') }); i += f.length; continue }
      if (/\d/.test(src[i + 1] ?? '')) { const n = at(NUMBER) as string; out.push({ t: 'num', v: Number(n) }); i += n.length; continue }
      out.push({ t: 'dot' }); i++; continue
    }
    if (c === '$') {
      i++
      const name = at(IDENT) ?? ''
      i += name.length
      const f = at(FIELDS)
      if (f !== undefined) i += f.length
      out.push({ t: 'var', v: '$' + name, path: f === undefined ? [] : f.slice(1).split('.') })
      continue
    }
    if (c === '"') {
      let j = i + 1
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1
      if (j >= src.length) throw templateError(line, 'unterminated string')
      try { out.push({ t: 'str', v: JSON.parse(src.slice(i, j + 1)) as string }) } catch { throw templateError(line, `invalid string ${src.slice(i, j + 1)}`) }
      i = j + 1; continue
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1)
      if (j === -1) throw templateError(line, 'unterminated raw string')
      out.push({ t: 'str', v: src.slice(i + 1, j) }); i = j + 1; continue
    }
    if (c === ':' && src[i + 1] === '=') { out.push({ t: 'punct', v: ':=' }); i += 2; continue }
    if (c === '(' || c === ')' || c === '|' || c === '=' || c === ',') { out.push({ t: 'punct', v: c }); i++; continue }
    if (/[0-9+-]/.test(c)) {
      const n = at(NUMBER)
      if (n === undefined) throw templateError(line, `unexpected ${JSON.stringify(c)}`)
      out.push({ t: 'num', v: Number(n) }); i += n.length; continue
    }
    const id = at(IDENT)
    if (id === undefined) throw templateError(line, `unexpected ${JSON.stringify(c)}`)
    i += id.length
    if (id === 'true' || id === 'false') out.push({ t: 'bool', v: id === 'true' })
    else if (id === 'nil') out.push({ t: 'nil', v: null })
    else out.push({ t: 'ident', v: id })
  }
  return out
}

class PipeParser {
  #toks: Token[]
  #i = 0
  #line: number
  constructor (toks: Token[], line: number) { this.#toks = toks; this.#line = line }

  #peek (): Token | undefined { return this.#toks[this.#i] }
  #isPunct (v: string): boolean { const t = this.#peek(); return t?.t === 'punct' && t.v === v }

  pipeline (): Pipeline {
    const decl: string[] = []
    let assign = false
    const save = this.#i
    const vars: string[] = []
    while (this.#peek()?.t === 'var') {
      const t = this.#peek() as { t: 'var', v: string, path: string[] }
      if (t.path.length > 0) break
      vars.push(t.v); this.#i++
      if (this.#isPunct(',')) { this.#i++; continue }
      break
    }
    if (vars.length > 0 && (this.#isPunct(':=') || this.#isPunct('='))) {
      assign = this.#isPunct('=')
      this.#i++
      decl.push(...vars)
    } else {
      this.#i = save
    }
    const commands: Command[] = [this.#command()]
    while (this.#isPunct('|')) { this.#i++; commands.push(this.#command()) }
    return { decl, assign, commands, line: this.#line }
  }

  end (): void {
    if (this.#i < this.#toks.length) throw templateError(this.#line, `unexpected ${JSON.stringify(tokenText(this.#toks[this.#i] as Token))}`)
  }

  #command (): Command {
    const first = this.#peek()
    if (first === undefined || (first.t === 'punct' && first.v !== '(')) throw templateError(this.#line, 'missing value in pipeline')
    let name: string | null = null
    if (first.t === 'ident') {
      if (UNSUPPORTED.has(first.v) || ['if', 'else', 'end', 'range', 'with'].includes(first.v)) throw templateError(this.#line, `"${first.v}" is not allowed here`)
      name = first.v; this.#i++
    }
    const args: Operand[] = []
    for (;;) {
      const t = this.#peek()
      if (t === undefined || (t.t === 'punct' && t.v !== '(')) break
      args.push(this.#operand())
    }
    if (name === null && args.length > 1) throw templateError(this.#line, `${describe(args[0] as Operand)} is not a function`)
    return { name, args, line: this.#line }
  }

  #operand (): Operand {
    const t = this.#toks[this.#i++] as Token
    const line = this.#line
    switch (t.t) {
      case 'dot': return { kind: 'dot', line }
      case 'field': return { kind: 'field', base: null, path: t.v, line }
      case 'var': return t.path.length > 0 ? { kind: 'field', base: { kind: 'var', name: t.v, line }, path: t.path, line } : { kind: 'var', name: t.v, line }
      case 'str': case 'num': case 'bool': case 'nil': return { kind: 'literal', value: t.v, line }
      case 'ident': throw templateError(line, `function "${t.v}" must come first in a command (use parentheses)`)
      case 'punct': {
        const pipe = this.pipeline()
        if (!this.#isPunct(')')) throw templateError(line, 'unclosed parenthesis')
        this.#i++
        const next = this.#peek()
        if (next?.t === 'field') { this.#i++; return { kind: 'field', base: { kind: 'pipe', pipe, line }, path: next.v, line } }
        return { kind: 'pipe', pipe, line }
      }
    }
  }
}

function tokenText (t: Token): string {
  if (t.t === 'field') return '.' + t.v.join('.')
  if (t.t === 'dot') return '.'
  if (t.t === 'var') return t.v
  return String(t.v)
}

function describe (o: Operand): string {
  if (o.kind === 'field') return '.' + o.path.join('.')
  if (o.kind === 'literal') return JSON.stringify(o.value)
  return o.kind
}

// chained: an {{else if}} frame, closed by the same {{end}} as the if it continues.
interface Frame { kind: 'if' | 'with' | 'range' | 'root', node: Node | null, body: Node[], inElse: boolean, chained?: boolean }

/** Parses Go-template text into nodes; anything outside the documented subset is a clear error. */
export function parseTemplate (text: string): Node[] {
  const root: Frame = { kind: 'root', node: null, body: [], inElse: false }
  const stack: Frame[] = [root]
  const top = (): Frame => stack[stack.length - 1] as Frame
  const emit = (n: Node): void => { top().body.push(n) }
  let i = 0
  let line = 1
  let trimNext = false
  while (i < text.length) {
    const open = text.indexOf('{{', i)
    let chunk = open === -1 ? text.slice(i) : text.slice(i, open)
    const chunkLines = chunk.split('\n').length - 1
    if (trimNext) chunk = chunk.replace(/^\s+/, '')
    if (open === -1) { if (chunk !== '') emit({ kind: 'text', text: chunk }); break }
    const close = text.indexOf('}}', open + 2)
    if (close === -1) throw templateError(line + chunkLines, 'unclosed action "{{"')
    let inner = text.slice(open + 2, close)
    // Go's trim markers need whitespace next to the dash: "{{- x}}" trims, "{{-3}}" is a number.
    if (/^-\s/.test(inner)) { chunk = chunk.replace(/\s+$/, ''); inner = inner.slice(1) }
    trimNext = /\s-$/.test(inner)
    if (trimNext) inner = inner.slice(0, -1)
    if (chunk !== '') emit({ kind: 'text', text: chunk })
    line += chunkLines
    const at = line
    line += inner.split('\n').length - 1
    i = close + 2
    const body = inner.trim()
    if (body.startsWith('/*')) {
      if (!body.endsWith('*/')) throw templateError(at, 'unclosed comment')
      continue
    }
    const toks = lexAction(body, at)
    if (toks.length === 0) throw templateError(at, 'missing value for command')
    const head = toks[0] as Token
    const keyword = head.t === 'ident' ? head.v : undefined
    if (keyword !== undefined && UNSUPPORTED.has(keyword)) throw templateError(at, `{{${keyword}}} is not supported (see docs/transforms.md for the supported subset)`)
    if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
      const p = new PipeParser(toks.slice(1), at)
      const pipe = p.pipeline(); p.end()
      if (keyword === 'if' && pipe.decl.length > 0) throw templateError(at, 'variable declaration is not allowed in if')
      const node = { kind: keyword, pipe, body: [], otherwise: [], line: at } as Node
      emit(node)
      stack.push({ kind: keyword, node, body: (node as { body: Node[] }).body, inElse: false })
      continue
    }
    if (keyword === 'else') {
      const f = top()
      if (f.kind === 'root' || f.inElse) throw templateError(at, 'unexpected {{else}}')
      const n = f.node as { otherwise: Node[] }
      f.inElse = true
      f.body = n.otherwise
      if (toks.length > 1) {
        const next = toks[1] as Token
        if (next.t !== 'ident' || next.v !== 'if') throw templateError(at, `{{else ${tokenText(next)}}} is not supported; only {{else if …}}`)
        const p = new PipeParser(toks.slice(2), at)
        const pipe = p.pipeline(); p.end()
        const node = { kind: 'if' as const, pipe, body: [] as Node[], otherwise: [] as Node[], line: at }
        f.body.push(node)
        stack.push({ kind: 'if', node, body: node.body, inElse: false, chained: true })
      }
      continue
    }
    if (keyword === 'end') {
      if (toks.length > 1) throw templateError(at, 'unexpected tokens after end')
      if (top().kind === 'root') throw templateError(at, 'unexpected {{end}}')
      while ((stack.pop() as Frame).chained === true) { /* close the whole else-if chain */ }
      continue
    }
    const p = new PipeParser(toks, at)
    const pipe = p.pipeline(); p.end()
    emit({ kind: 'action', pipe, line: at })
  }
  if (stack.length > 1) throw templateError(line, `unclosed {{${top().kind}}}: missing {{end}}`)
  return root.body
}
