import { OpenCDCError } from '../../errors/index.js'

/** Which tables a many-table source reads: a list (`include`), a name prefix or regex, and/or a tag filter. */
export interface TableSelectorInput {
  include?: readonly string[]
  prefix?: string
  regex?: string
  /** `k1:v1,v2;k2:v3`: a table matches when, for every key, its tag has one of the listed values. */
  tags?: string
}

/** A tag filter: every key must match (AND), one of its values suffices (OR). */
export type TagFilter = ReadonlyArray<{ key: string, values: readonly string[] }>

export interface TableSelector {
  include?: readonly string[]
  prefix?: string
  regex?: RegExp
  tags?: TagFilter
  /** The selector as given, for messages. */
  text: string
}

// DynamoDB's table name rule: 3–255 of A–Z a–z 0–9 _ - .
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/

function bad (option: string, message: string, value: unknown): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_OPTION', `DynamoDB source: ${option}: ${message}`, { option, value })
}

/** Parses `k1:v1,v2;k2:v3` (spaces around names ignored); throws ERR_DDB_INVALID_OPTION naming the part and the rule. */
export function parseTagFilter (text: string, option = 'tables.tags'): TagFilter {
  if (typeof text !== 'string' || text.trim() === '') throw bad(option, 'expected "key:value[,value…][;key:value…]", got an empty filter', text)
  const seen = new Set<string>()
  return text.split(';').map((part, i) => {
    const colon = part.indexOf(':')
    if (colon < 0) throw bad(option, `part ${i + 1} ${JSON.stringify(part)} has no ":" between the tag key and its values`, text)
    const key = part.slice(0, colon).trim()
    if (key === '') throw bad(option, `part ${i + 1} ${JSON.stringify(part)} has an empty tag key`, text)
    if (seen.has(key)) throw bad(option, `tag key ${JSON.stringify(key)} appears twice; list its values once, separated by ","`, text)
    seen.add(key)
    const values = part.slice(colon + 1).split(',').map((v) => v.trim())
    if (values.some((v) => v === '')) throw bad(option, `tag key ${JSON.stringify(key)} has an empty value in ${JSON.stringify(part)}`, text)
    return { key, values }
  })
}

/** True when the tags satisfy the filter: for every key, the table's tag value is one of the listed values. */
export function matchesTags (filter: TagFilter, tags: Readonly<Record<string, string>>): boolean {
  return filter.every(({ key, values }) => Object.hasOwn(tags, key) && values.includes(tags[key] as string))
}

/** True when the name passes the list, prefix and regex parts (the tag part needs a lookup: matchesTags). */
export function matchesName (selector: TableSelector, name: string): boolean {
  if (selector.include !== undefined && !selector.include.includes(name)) return false
  if (selector.prefix !== undefined && !name.startsWith(selector.prefix)) return false
  if (selector.regex !== undefined && !selector.regex.test(name)) return false
  return true
}

/** Validates `tables` (a list or a selector object) once; throws ERR_DDB_INVALID_OPTION naming the field and the rule. */
export function resolveTableSelector (input: unknown): TableSelector {
  if (Array.isArray(input)) return resolveTableSelector({ include: input })
  if (typeof input !== 'object' || input === null) throw bad('tables', 'expected a list of table names or { include, prefix, regex, tags }', input)
  const known = ['include', 'prefix', 'regex', 'tags']
  const extra = Object.keys(input).filter((k) => !known.includes(k))
  if (extra.length > 0) throw bad('tables', `unknown field ${JSON.stringify(extra[0])} (expected ${known.join(', ')})`, input)
  const { include, prefix, regex, tags } = input as Record<string, unknown>
  const out: { -readonly [K in keyof TableSelector]: TableSelector[K] } = { text: JSON.stringify(input) }
  if (include !== undefined) {
    if (!Array.isArray(include) || include.length === 0) throw bad('tables.include', 'expected a non-empty list of table names', include)
    for (const name of include) {
      if (typeof name !== 'string' || !TABLE_NAME.test(name)) throw bad('tables.include', `${JSON.stringify(name)} is not a DynamoDB table name (3–255 of A-Z a-z 0-9 _ - .)`, include)
    }
    if (new Set(include).size !== include.length) throw bad('tables.include', 'a table is listed twice', include)
    out.include = [...include as string[]]
  }
  if (prefix !== undefined) {
    if (typeof prefix !== 'string' || prefix === '') throw bad('tables.prefix', 'expected a non-empty string', prefix)
    out.prefix = prefix
  }
  if (regex !== undefined) {
    if (typeof regex !== 'string' || regex === '') throw bad('tables.regex', 'expected a non-empty regular expression', regex)
    try { out.regex = new RegExp(regex) } catch (err) { throw bad('tables.regex', `not a regular expression: ${(err as Error).message}`, regex) }
  }
  if (tags !== undefined) out.tags = parseTagFilter(tags as string)
  if (out.include === undefined && out.prefix === undefined && out.regex === undefined && out.tags === undefined) {
    throw bad('tables', 'the selector selects every table; give include, prefix, regex or tags', input)
  }
  return out
}
