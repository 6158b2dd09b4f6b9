/** Prints a reliability count line as a TAP comment and on stderr, so `npm test` shows it on any reporter. */
export function report (t: { comment: (...args: unknown[]) => void }, line: string): void {
  t.comment(line)
  console.error(`[reliability] ${line}`)
}
