import t from 'tap'
import { utimesSync } from 'node:fs'
import path from 'node:path'
import { staleBuilds } from '../../helpers/fresh-dist.js'

t.test('a src file newer than its dist build, or without one, is reported stale', async (t) => {
  const root = t.testdir({ src: { 'a.ts': '', 'b.d.ts': '', sub: { 'c.ts': '' } }, dist: { src: { 'a.js': '', sub: {} } } })
  const old = new Date(Date.now() - 60_000)
  utimesSync(path.join(root, 'src', 'a.ts'), old, old)
  utimesSync(path.join(root, 'src', 'sub', 'c.ts'), old, old)
  t.same(staleBuilds(root), [path.join('src', 'sub', 'c.ts')], 'c has no build; a is older than its build; .d.ts is not built')
  utimesSync(path.join(root, 'dist', 'src', 'a.js'), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000))
  t.same(staleBuilds(root).sort(), [path.join('src', 'a.ts'), path.join('src', 'sub', 'c.ts')], 'a edited after its build')
})
