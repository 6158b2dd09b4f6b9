#!/usr/bin/env node
// Benchmark runner: `npm run bench [-- --quick] [--only name,name] [--rounds N]`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { machineInfo, markdownTable, runGroups } from './harness.js'
import { benchGroups } from './cases.js'
import { writeCurveCharts } from './curves.js'
import { lastProfiles, profileTable } from './profile.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    rounds: { type: 'string' },
    out: { type: 'string' },
    compare: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (values.help === true) {
  process.stdout.write(`Usage: npm run bench -- [--quick] [--only group,group] [--rounds N] [--out DIR] [--compare OTHER/results.json]\n\nGroups: ${benchGroups(true).map((g) => g.name).join(', ')}\n`)
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
mkdirSync(outDir, { recursive: true })
const table = markdownTable(cases, machine)
const charts = writeCurveCharts(outDir)
const profiles = lastProfiles()
const sections = [
  `# Benchmark results (${quick ? 'quick' : 'full'} run, ${rounds} rounds, medians)\n\n${table}`,
  charts.length > 0 ? `## Cost curves\n\nEach point runs in its own process (peak RSS is that process's); ours and the raw SDK loop alternate.\n\n${charts.map((c) => `![${c}](${c})`).join('\n')}\n` : '',
  profiles.length > 0 ? `## Where our process spends its time\n\nA CPU profile (node:inspector, 200 µs sampling) of one run of each path; share of samples by the code they are in (decode: our Scan/GetRecords body decode, JSON.parse included; codec: src/model; positions: snapshot/CDC position encoding; acks: src/checkpoint and ack; SDK: @aws-sdk/@smithy; JSON: JSON.parse/stringify; idle: waiting on I/O).\n\n${profileTable(profiles)}` : '',
  values.compare !== undefined ? compareSection(cases, values.compare) : ''
].filter((s) => s !== '')
writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ machine, mode: quick ? 'quick' : 'full', rounds, seconds: Math.round((Date.now() - t0) / 1000), cases, profiles, charts }, null, 2) + '\n')
writeFileSync(path.join(outDir, 'RESULTS.md'), `${sections.join('\n')}\nRerun: \`npm run bench\` (full) or \`npm run bench -- --quick\`.\n`)
// The README's benchmark block (between its bench markers) follows a run that writes to the repository.
const readme = path.join(outDir, '..', 'README.md')
if (values.out === undefined) {
  const text = readFileSync(readme, 'utf8')
  const m = /(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/.exec(text)
  if (m !== null) writeFileSync(readme, text.replace(m[0], `${m[1] as string}${table}\n${charts.map((c) => `![${c}](benchmarks/${c})`).join('\n')}\n${m[2] as string}`))
}
process.stdout.write(table)

// How far another run's ratios (a quick run, say) land from this run's, case by case.
function compareSection (ours: typeof cases, file: string): string {
  const other = JSON.parse(readFileSync(file, 'utf8')) as { mode: string, rounds: number, cases: typeof cases }
  const rows = ours.flatMap((c) => {
    const o = other.cases.find((x) => x.name === c.name)
    return o === undefined ? [] : [`| \`${c.name}\` | ${c.ratio.toFixed(2)} | ${o.ratio.toFixed(2)} | ${(o.ratio - c.ratio >= 0 ? '+' : '') + (o.ratio - c.ratio).toFixed(2)} |`]
  })
  return `## This run against a ${other.mode} run (${other.rounds} rounds)\n\n| case | ratio here | ratio there | difference |\n|---|---:|---:|---:|\n${rows.join('\n')}\n`
}
