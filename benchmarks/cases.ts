import type { BenchGroup } from './harness.js'
import { runFormatBench } from './format.js'

/** Every benchmark group; case names are fixed (issue 8) so results compare across commits. */
export function benchGroups (quick: boolean): BenchGroup[] {
  return [
    {
      name: 'format',
      heavy: false,
      run: async () => {
        const r = await runFormatBench({ records: quick ? 50_000 : 300_000 })
        return [
          { name: 'format.opencdc-json', unit: 'records/s (higher is better)', ours: r.serialize.ours, baseline: r.serialize.baseline, baselineName: 'JSON.stringify per line', target: '≥ 250k/s' },
          { name: 'parse.jsonl', unit: 'records/s (higher is better)', ours: r.parse.ours, baseline: r.parse.baseline, baselineName: 'split + JSON.parse per line', target: '≥ 150k/s' }
        ]
      }
    }
  ]
}
