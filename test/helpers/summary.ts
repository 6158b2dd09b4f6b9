/** The CLI's end-of-run line: `dynamodb-opencdc <command> summary: 3 read, 3 written, 0 dead-lettered, 0.4 s, exit 0`. */
export const SUMMARY = /^dynamodb-opencdc (\w+) summary: (.*)\n/gm

export interface Summary {
  command: string
  read?: number
  written?: number
  deadLettered?: number
  exit: number
}

/** Every summary line in `stderr`, parsed, and what is left once they are removed. */
export function splitSummary (stderr: string): { summaries: Summary[], rest: string } {
  const summaries: Summary[] = []
  const rest = stderr.replace(SUMMARY, (_all, command: string, fields: string) => {
    const num = (word: string): number | undefined => {
      const m = new RegExp(`(\\d+) ${word}`).exec(fields)
      return m === null ? undefined : Number(m[1])
    }
    summaries.push({ command, read: num('read'), written: num('written'), deadLettered: num('dead-lettered'), exit: Number(/exit (\d+)$/.exec(fields)?.[1]) })
    return ''
  })
  return { summaries, rest }
}

/** stderr without its one summary line; throws when there is not exactly one, so callers can still assert the rest is empty. */
export function withoutSummary (stderr: string): string {
  const { summaries, rest } = splitSummary(stderr)
  if (summaries.length !== 1) throw new Error(`expected exactly one summary line on stderr, got ${summaries.length}: ${stderr.slice(-1000)}`)
  return rest
}
