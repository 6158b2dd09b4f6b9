import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { shell } from '../../helpers/child.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const pkg = JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { version: string, bin: Record<string, string>, scripts: Record<string, string> }

// Issue 17: the README sent users in the repo to `npx dynamodb-opencdc`, which is not linked there and may hit the registry.
t.test('npm run cli -- runs the built bin from inside the repository, without the registry', async (t) => {
  t.equal(pkg.scripts.cli, `node ${pkg.bin['dynamodb-opencdc']?.replace(/^\.\//, '')}`, 'the script runs the package\'s own bin')
  const res = await shell('npm run -s cli -- --version', { cwd: root, env: { npm_config_offline: 'true', npm_config_update_notifier: 'false' } })
  t.equal(res.code, 0, res.stderr)
  t.equal(res.stdout, `${pkg.version}\n`)
})

t.test('the README names the safe in-repo ways and the npx registry risk', async (t) => {
  const readme = readFileSync(root + 'README.md', 'utf8')
  t.match(readme, /`npm run cli -- <command> …`/)
  t.match(readme, /would download whatever\nthe npm registry has under that name/)
  t.equal(existsSync(root + 'node_modules/.bin/dynamodb-opencdc'), false, 'npm links no bin of the package itself here, as the README says')
})
