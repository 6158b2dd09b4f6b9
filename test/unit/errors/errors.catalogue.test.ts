import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ERRORS, OpenCDCError, type ErrorCode } from '../../../src/errors/index.js'
import { isUsageError } from '../../../src/cli/support/args.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))

function sourceFiles (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name)
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : []
  })
}

t.test('docs/errors.md lists every code of the catalogue with its meaning, exit class, retryability and hint', (t) => {
  const rows = [...readFileSync(root + 'docs/errors.md', 'utf8').matchAll(/^\| `(ERR_DDB_\w+)` \| (.*) \| (\d) \((usage|runtime|stalled)\) \| (yes|no) \| (.*) \|$/gm)]
  t.same(rows.map((r) => r[1]), Object.keys(ERRORS), 'same codes, same order')
  for (const r of rows) {
    const e = ERRORS[r[1] as ErrorCode] as { meaning: string, exit: string, retryable: boolean, hint?: string }
    t.same([r[2], r[4], r[3], r[5], r[6]], [e.meaning, e.exit, ({ usage: '2', runtime: '1', stalled: '4' })[e.exit], e.retryable ? 'yes' : 'no', e.hint ?? ''], r[1] as string)
  }
  t.end()
})

t.test('every code the source names is in the catalogue, and every catalogued code is raised somewhere', (t) => {
  const named = new Set<string>()
  for (const file of sourceFiles(root + 'src')) {
    if (file.endsWith(path.join('errors', 'catalogue.ts'))) continue
    for (const m of readFileSync(file, 'utf8').matchAll(/ERR_DDB_[A-Z_]+/g)) named.add(m[0])
  }
  t.same([...named].filter((c) => !(c in ERRORS)).sort(), [], 'no code outside the catalogue')
  t.same(Object.keys(ERRORS).filter((c) => !named.has(c)), [], 'no catalogued code that nothing raises')
  t.end()
})

t.test('the CLI exit class comes from the catalogue', (t) => {
  for (const [code, e] of Object.entries(ERRORS)) {
    t.equal(isUsageError(new OpenCDCError(code as ErrorCode, 'x')), e.exit === 'usage', code)
  }
  t.equal(isUsageError(new Error('plain')), false, 'a plain Error is a runtime failure')
  t.end()
})
