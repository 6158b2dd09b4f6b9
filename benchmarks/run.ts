#!/usr/bin/env node
// Benchmark runner: `npm run bench [-- --quick] [--only name,name] [--rounds N]`.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { machineInfo, markdownTable, runGroups } from './harness.js'
import { benchGroups } from './cases.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    rounds: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (values.help === true) {
  process.stdout.write(`Usage: npm run bench -- [--quick] [--only group,group] [--rounds N] [--out DIR]\n\nGroups: ${benchGroups(true).map((g) => g.name).join(', ')}\n`)
  process.exit(0)
}
const quick = values.quick === true
const rounds = values.rounds !== undefined ? Number(values.rounds) : 3
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write(`--rounds: expected a positive integer, got ${values.rounds}\n`)
  process.exit(2)
}
const only = values.only?.split(',').map((s) => s.trim())
const groups = benchGroups(quick).filter((g) => only === undefined || only.some((o) => g.name === o || g.name.startsWith(o + '.')))
if (groups.length === 0) {
  process.stderr.write(`no benchmark group matches --only ${values.only}\n`)
  process.exit(2)
}
const machine = machineInfo()
const t0 = Date.now()
const cases = await runGroups(groups, { rounds, quick, log: (line) => process.stderr.write(line + '\n') })
const outDir = values.out ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'benchmarks')
const table = markdownTable(cases, machine)
writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ machine, mode: quick ? 'quick' : 'full', rounds, seconds: Math.round((Date.now() - t0) / 1000), cases }, null, 2) + '\n')
writeFileSync(path.join(outDir, 'RESULTS.md'), `# Benchmark results (${quick ? 'quick' : 'full'} run, ${rounds} rounds, medians)\n\n${table}\nRerun: \`npm run bench\` (full) or \`npm run bench -- --quick\`.\n`)
process.stdout.write(table)
