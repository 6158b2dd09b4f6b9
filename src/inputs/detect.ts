/** The inputs parseDynamoDBJSON reads. */
export const INPUT_KINDS = ['auto', 'aws-scan', 'export', 'opencdc-array', 'opencdc-jsonl'] as const
export type InputKind = typeof INPUT_KINDS[number]
export type ConcreteKind = Exclude<InputKind, 'auto'>

const NAMES: Record<ConcreteKind, string> = {
  'aws-scan': '`aws dynamodb scan` (or `query`) output',
  export: 'a DynamoDB export data file ({"Item":…} lines)',
  'opencdc-array': 'a JSON array of OpenCDC records',
  'opencdc-jsonl': 'OpenCDC JSON Lines'
}

export function kindName (kind: ConcreteKind): string { return NAMES[kind] }

const SCAN_KEYS = new Set(['Items', 'Count', 'ScannedCount', 'LastEvaluatedKey', 'NextToken', 'ConsumedCapacity'])
const RECORD_KEYS = new Set(['position', 'operation', 'metadata', 'key', 'payload'])

/** Enough text to decide: the first property name, or the end of the input. */
export const SNIFF_BYTES = 4096

/**
 * The kind the start of a (decompressed) input looks like, by its first token and first property name;
 * undefined when it cannot tell. `{` alone on the first line is how the AWS CLI pretty-prints a page.
 */
export function sniffKind (head: string): ConcreteKind | undefined {
  const m = /^\uFEFF?\s*([[{])\s*(?:"((?:[^"\\]|\\.)*)")?/.exec(head)
  if (m === null) return undefined
  if (m[1] === '[') return /^\uFEFF?\s*\[\s*(?:\]|\{)/.test(head) ? 'opencdc-array' : undefined
  const first = m[2]
  if (first === undefined) return undefined
  if (SCAN_KEYS.has(first)) return 'aws-scan'
  if (first === 'Item' || first === 'Keys' || first === 'Metadata' || first === 'NewImage') return 'export'
  if (RECORD_KEYS.has(first)) return 'opencdc-jsonl'
  return undefined
}

/** True while the start could still become a recognized first property (`{`, `{ "Ite`…): wait for more bytes before choosing. */
export function undecided (head: string): boolean {
  if (sniffKind(head) !== undefined) return false
  const t = head.replace(/^\uFEFF/, '').trimStart()
  return t === '' || /^[{[]\s*(?:\{\s*)?(?:"(?:[^"\\]|\\.)*)?$/.test(t)
}

/** The hint a wrong or unknown kind gets: what it looks like and the flag that reads it. */
export function kindHint (seen: ConcreteKind | undefined): string {
  if (seen === undefined) return `give --input-format (one of ${INPUT_KINDS.filter((k) => k !== 'auto').join(', ')})`
  return `this looks like ${NAMES[seen]}: use --input-format ${seen}`
}
