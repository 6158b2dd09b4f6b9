import { OpenCDCError } from '../errors/index.js'
import { META_COLLECTION, describeRecord, type OpenCDCRecord } from '../model/record.js'

/**
 * Where a destination writes a record: one table name; a name with a `{{collection}}` placeholder filled
 * from the record's `opencdc.collection` metadata (`'{{collection}}_copy'`); a map collection → table; or a
 * function of the record.
 */
export type TableRoute = string | Readonly<Record<string, string>> | ((record: OpenCDCRecord) => string)

export interface Router {
  /** The table of a record; throws ERR_DDB_NO_ROUTE naming the record and its collection. */
  tableOf: (record: OpenCDCRecord, index: number) => string
  /** The one table every record goes to, when the route is a plain name. */
  single?: string
  /** Tables known before any record arrives (a plain name, or a map's values). */
  known: string[]
  /** The route as written, for messages. */
  text: string
}

const PLACEHOLDER = /\{\{\s*collection\s*\}\}/g
const HAS_PLACEHOLDER = /\{\{\s*collection\s*\}\}/
const ANY_BRACES = /\{\{.*?\}\}/
// DynamoDB's table name rule: 3–255 of A–Z a–z 0–9 _ - .
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/

function invalidRoute (message: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_OPTION', `destination: table: ${message}`, { option: 'table' })
}

function noRoute (record: OpenCDCRecord, index: number, why: string, collection: string | undefined, cause?: unknown): OpenCDCError {
  return new OpenCDCError('ERR_DDB_NO_ROUTE', `${describeRecord(record, index)}: ${why}`, { index, ...(collection !== undefined ? { collection } : {}) }, cause !== undefined ? { cause } : undefined)
}

function collectionOf (record: OpenCDCRecord): string | undefined {
  const meta = (record as { metadata?: unknown } | null)?.metadata
  const c = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)[META_COLLECTION] : undefined
  return typeof c === 'string' && c !== '' ? c : undefined
}

function checked (record: OpenCDCRecord, index: number, table: unknown, how: string, collection: string | undefined): string {
  if (typeof table === 'string' && TABLE_NAME.test(table)) return table
  throw noRoute(record, index, `${how} gave ${JSON.stringify(table) ?? String(table)}, which is not a DynamoDB table name (3–255 of A-Z a-z 0-9 _ - .)`, collection)
}

/** Validates a route once (the one place) and returns how to route each record. */
export function compileRoute (route: unknown): Router {
  if (typeof route === 'function') {
    const fn = route as (record: OpenCDCRecord) => unknown
    return {
      known: [],
      text: 'a function',
      tableOf: (record, index) => {
        let table: unknown
        try {
          table = fn(record)
        } catch (err) {
          throw noRoute(record, index, `the table function threw: ${(err as Error)?.message ?? String(err)}`, collectionOf(record), err)
        }
        return checked(record, index, table, 'the table function', collectionOf(record))
      }
    }
  }
  if (typeof route === 'string') {
    if (!HAS_PLACEHOLDER.test(route)) {
      if (ANY_BRACES.test(route)) throw invalidRoute(`${JSON.stringify(route)}: the only placeholder is {{collection}}`)
      return { known: [route], single: route, text: route, tableOf: () => route }
    }
    if (ANY_BRACES.test(route.replace(PLACEHOLDER, ''))) throw invalidRoute(`${JSON.stringify(route)}: the only placeholder is {{collection}}`)
    return {
      known: [],
      text: route,
      tableOf: (record, index) => {
        const collection = collectionOf(record)
        if (collection === undefined) throw noRoute(record, index, `table ${JSON.stringify(route)} needs the record's collection, but it has no "${META_COLLECTION}" metadata`, undefined)
        return checked(record, index, route.replace(PLACEHOLDER, () => collection), `table ${JSON.stringify(route)} for collection ${JSON.stringify(collection)}`, collection)
      }
    }
  }
  if (typeof route === 'object' && route !== null && !Array.isArray(route)) {
    const map = new Map(Object.entries(route as Record<string, unknown>))
    if (map.size === 0) throw invalidRoute('an empty map routes no collection')
    for (const [collection, table] of map) {
      if (typeof table !== 'string' || table === '') throw invalidRoute(`collection ${JSON.stringify(collection)} maps to ${JSON.stringify(table)}, which is not a table name`)
    }
    const tables = [...new Set(map.values() as Iterable<string>)]
    return {
      known: tables,
      text: `a map of ${map.size} collection(s)`,
      tableOf: (record, index) => {
        const collection = collectionOf(record)
        if (collection === undefined) throw noRoute(record, index, `the table map needs the record's collection, but it has no "${META_COLLECTION}" metadata`, undefined)
        const table = map.get(collection)
        if (table === undefined) throw noRoute(record, index, `collection ${JSON.stringify(collection)} has no table in the table map (mapped: ${[...map.keys()].map((k) => JSON.stringify(k)).join(', ')})`, collection)
        return table as string
      }
    }
  }
  throw invalidRoute(`expected a table name, a name with {{collection}}, a map collection → table, or a function (record) => table; got ${Array.isArray(route) ? 'an array' : typeof route}`)
}
