import t from 'tap'
import { benchCommand } from '../../../src/cli/commands/bench.js'
import { copyCommand } from '../../../src/cli/commands/copy.js'
import { demoCommand } from '../../../src/cli/commands/demo.js'
import { localCommand } from '../../../src/cli/commands/local.js'
import { readCommand } from '../../../src/cli/commands/read.js'
import { runCommand } from '../../../src/cli/commands/run.js'
import { writeCommand } from '../../../src/cli/commands/write.js'

const flags = (text: string): string[] => [...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0])

t.test('every flag a command\'s Usage line shows is one its Options list describes', async (t) => {
  for (const cmd of [demoCommand, localCommand, readCommand, writeCommand, copyCommand, runCommand, benchCommand]) {
    const usage = /^Usage: .*$/m.exec(cmd.help)?.[0] ?? ''
    const options = /\nOptions:\n([\s\S]*?)\n\n/.exec(cmd.help)?.[1] ?? ''
    const listed = new Set(flags(options))
    for (const flag of flags(usage)) t.ok(listed.has(flag), `${cmd.name}: ${flag} in "${usage}" is in its Options`)
  }
})

t.test('demo --help shows no --keep-going (the demo takes none)', async (t) => {
  t.notMatch(demoCommand.help, /--keep-going/)
})
