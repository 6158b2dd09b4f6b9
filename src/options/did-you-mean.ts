// Levenshtein distance, case-insensitive: "snapshotsegments" is one slip from "snapshotSegments", not sixteen.
function distance (a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length] as number
}

/** The one did-you-mean of the package (options, settings, CLI flags, commands): the closest candidate, if it is close. */
export function closest (word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = distance(c, word)
    if (d < bestDistance) { best = c; bestDistance = d }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined
}

/** ` (did you mean "x"?)`, or '' when nothing is close. */
export function didYouMean (word: string, candidates: Iterable<string>): string {
  const near = closest(word, candidates)
  return near !== undefined ? ` (did you mean "${near}"?)` : ''
}
