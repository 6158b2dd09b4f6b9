// Runs StrykerJS per module (all of them without arguments) and prints one docs/mutation.md table row each.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { MODULES } from '../stryker.config.mjs'

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(MODULES)
const rows = []
for (const name of names) {
  if (MODULES[name] === undefined) throw new Error(`unknown module ${name}; one of ${Object.keys(MODULES).join(', ')}`)
  const started = Date.now()
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], { stdio: 'inherit', env: { ...process.env, MUTATION_MODULE: name, TS_NODE_TRANSPILE_ONLY: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
  if (run.status !== 0) { process.exitCode = 1; continue }
  const report = JSON.parse(readFileSync(`reports/mutation/${name}.json`, 'utf8'))
  const mutants = Object.values(report.files).flatMap((f) => f.mutants)
  const count = (...s) => mutants.filter((m) => s.includes(m.status)).length
  const killed = count('Killed', 'Timeout')
  const survived = count('Survived', 'NoCoverage')
  const valid = killed + survived
  rows.push(`| ${name} | ${valid} | ${killed} | ${survived} | ${valid === 0 ? '–' : (100 * killed / valid).toFixed(1) + ' %'} | ${new Date().toISOString().slice(0, 10)} | ${Math.round((Date.now() - started) / 1000)} s |`)
  console.log(`mutation row: ${rows.at(-1)}`)
}
console.log('\n| module | mutants | killed | survived | score | date | run time |\n|---|---|---|---|---|---|---|\n' + rows.join('\n'))
