import { readFileSync } from 'node:fs'
import { mergeFlag, usageError } from './args.js'

/** parseArgs options for --filter, --projection, --names, --values (read, copy). */
export const FILTER_OPTIONS = {
  filter: { type: 'string' },
  projection: { type: 'string' },
  names: { type: 'string', multiple: true },
  values: { type: 'string', multiple: true }
} as const

export const FILTER_HELP = `  --filter EXPR           only items matching this DynamoDB condition (Scan FilterExpression syntax);
                          CDC: updated out of it → delete, into it → create (needs NEW_AND_OLD_IMAGES)
  --projection a,b        only these attributes (ProjectionExpression paths; the key is always kept)
  --names '#s=status'     an expression attribute name (repeatable), or @FILE: a JSON object
  --values ':t=S:x'       an expression attribute value TYPE:TEXT, TYPE one of S N BOOL NULL
                          (repeatable, e.g. ':n=N:5' ':b=BOOL:true'), or @FILE: a JSON object of
                          AttributeValues ({":t":{"S":"x"}})
`

export interface FilterFlagValues { filter?: string, projection?: string, names?: string[], values?: string[] }

function jsonFile (command: string, flag: string, file: string): Record<string, unknown> {
  let text: string
  try { text = readFileSync(file, 'utf8') } catch (err) { throw usageError(command, `${flag} @${file}: ${(err as Error).message}`) }
  let v: unknown
  try { v = JSON.parse(text) } catch (err) { throw usageError(command, `${flag} @${file}: not JSON: ${(err as Error).message}`) }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw usageError(command, `${flag} @${file}: expected a JSON object`)
  return v as Record<string, unknown>
}

// `#s=status` / `:t=S:tenant#1`: the first `=` ends the placeholder (a value may hold `=` and `:`).
function pairs (command: string, flag: string, args: string[] | undefined, value: (text: string, arg: string) => unknown): Record<string, unknown> | undefined {
  if (args === undefined) return undefined
  const out: Record<string, unknown> = {}
  for (const arg of args) {
    if (arg.startsWith('@')) { Object.assign(out, jsonFile(command, flag, arg.slice(1))); continue }
    const eq = arg.indexOf('=')
    if (eq <= 1) throw usageError(command, `${flag} expects ${flag === '--names' ? "'#p=name'" : "':v=TYPE:TEXT'"} or @FILE, got ${JSON.stringify(arg)}`)
    const key = arg.slice(0, eq)
    if (key in out) throw usageError(command, `${flag}: ${key} given twice`)
    out[key] = value(arg.slice(eq + 1), arg)
  }
  return out
}

function attributeValue (command: string, text: string, arg: string): unknown {
  const colon = text.indexOf(':')
  const type = colon < 0 ? text : text.slice(0, colon)
  const rest = colon < 0 ? '' : text.slice(colon + 1)
  if (type === 'S') return { S: rest }
  if (type === 'N') return { N: rest }
  if (type === 'BOOL' && (rest === 'true' || rest === 'false')) return { BOOL: rest === 'true' }
  if (type === 'NULL') return { NULL: true }
  throw usageError(command, `--values ${JSON.stringify(arg)}: expected :v=S:text, :v=N:number, :v=BOOL:true|false or :v=NULL (or @FILE for other types)`)
}

/** Merges the filter flags into the source settings (a conflict with -s filter.*=… is a usage error). */
export function applyFilterFlags (command: string, settings: Record<string, unknown>, v: FilterFlagValues): void {
  mergeFlag(command, settings, 'filter', ['filter.expression'], v.filter, '--filter')
  mergeFlag(command, settings, 'projection', ['filter.projection'], v.projection, '--projection')
  mergeFlag(command, settings, 'expressionAttributeNames', ['filter.names'], pairs(command, '--names', v.names, (t) => t), '--names')
  mergeFlag(command, settings, 'expressionAttributeValues', ['filter.values'], pairs(command, '--values', v.values, (t, a) => attributeValue(command, t, a)), '--values')
}
