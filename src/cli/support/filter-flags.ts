import { readFileSync } from 'node:fs'
import { usageError } from './args.js'
import type { Flag } from './flags.js'

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

/** --filter, --projection, --names, --values (read, copy): the source's filter options. */
export const FILTER_FLAGS: readonly Flag[] = [
  { name: 'filter', value: 'EXPR', option: 'filter', help: 'only items matching this DynamoDB condition (Scan FilterExpression syntax);\nCDC: updated out of it → delete, into it → create (needs NEW_AND_OLD_IMAGES)' },
  { name: 'projection', value: 'a,b', option: 'projection', help: 'only these attributes (ProjectionExpression paths; the key is always kept)' },
  { name: 'names', value: "'#s=status'", multiple: true, option: 'expressionAttributeNames', parse: (c, f, raw) => pairs(c, f, raw as string[], (t) => t), help: 'an expression attribute name (repeatable), or @FILE: a JSON object' },
  {
    name: 'values',
    value: "':t=S:x'",
    multiple: true,
    option: 'expressionAttributeValues',
    parse: (c, f, raw) => pairs(c, f, raw as string[], (t, a) => attributeValue(c, t, a)),
    help: 'an expression attribute value TYPE:TEXT, TYPE one of S N BOOL NULL\n(repeatable, e.g. \':n=N:5\' \':b=BOOL:true\'), or @FILE: a JSON object of\nAttributeValues ({":t":{"S":"x"}})'
  }
]
