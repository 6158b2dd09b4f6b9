import type { BenchGroup } from './harness.js'
import { runFormatBench } from './format.js'
import { runLoadBench } from './load.js'
import { runSnapshotBench } from './snapshot.js'
import { runMemoryBench } from './memory.js'
import { runCopyBench, runManyTablesCopyBench } from './copy.js'
import { cdcBenchGroup } from './cdc.js'
import { lambdaBenchGroup } from './lambda.js'
import { peersBenchGroup } from './peers.js'
import { curvesBenchGroup } from './curves.js'
import { profileBenchGroup } from './profile.js'

/** Every benchmark group; case names are fixed (issue 8) so results compare across commits. */
export function benchGroups (quick: boolean): BenchGroup[] {
  // Quick loads of 10k: at 3k the adaptive concurrency was still ramping up (1, 2, 4, 8: ~350 ms) for most of the load.
  const loadItems = quick ? 10_000 : 20_000
  return [
    {
      name: 'load.stream-less',
      // Full runs give every measurement its own DynamoDB Local (runLoadBench starts them); quick runs share one per round.
      endpoint: quick ? 'fresh' : 'none',
      run: async ({ endpoint }) => {
        const r = await runLoadBench({ ...(quick ? { endpoint } : {}), items: loadItems, streamEnabled: false, repeats: 1, putItems: quick ? 300 : 1000 })
        const unit = 'items/s (higher is better)'
        return [
          { name: 'load.stream-less', unit, ours: r.ours, baseline: r.bestRawBatchLoop, baselineName: `raw BatchWriteItem loop at its best of 1/2/4/8 in flight (${Object.values(r.rawByConcurrency).map(Math.round).join('/')}), rerun next to ours`, target: '≥ 0.95' },
          { name: 'load.vs-putitem', unit, ours: r.ours, baseline: r.rawPutItem, baselineName: 'one PutItem per record', target: '≥ 10' }
        ]
      }
    },
    {
      name: 'load.stream-enabled',
      // Always a fresh DynamoDB Local per measurement: a stream-enabled table slows the whole instance down after concurrent writes (NOTES §5).
      endpoint: 'none',
      run: async () => {
        const r = await runLoadBench({ items: quick ? 5_000 : 10_000, streamEnabled: true, repeats: 1, putItems: 0 })
        return [
          { name: 'load.stream-enabled', unit: 'items/s (higher is better)', ours: r.ours, baseline: r.bestRawBatchLoop, baselineName: `raw loop at its best of 1/2/4/8 in flight (${Object.values(r.rawByConcurrency).map(Math.round).join('/')}), rerun next to ours`, target: '≥ 0.95' }
        ]
      }
    },
    {
      name: 'snapshot',
      endpoint: 'fresh',
      run: async ({ endpoint, round }) => {
        // Quick: 30k items (a 10k table is one page per segment, so read-ahead never shows) and 3 samples a round, so its ratio lands near the full run's.
        const r = await runSnapshotBench({ endpoint, items: quick ? 30_000 : 50_000, rounds: quick ? 3 : 1, firstRound: round })
        const unit = 'items/s (higher is better)'
        return [
          { name: 'snapshot', unit, ours: r.ours, baseline: r.parallelBaseline, baselineName: 'raw parallel Scan, 4 segments', target: '≥ 0.95' },
          { name: 'snapshot.vs-sequential', unit, ours: r.ours, baseline: r.sequentialBaseline, baselineName: 'one sequential Scan', target: '≥ 2' }
        ]
      }
    },
    peersBenchGroup(quick),
    curvesBenchGroup,
    profileBenchGroup,
    cdcBenchGroup,
    lambdaBenchGroup,
    {
      name: 'memory.stalled-consumer',
      endpoint: 'fresh',
      run: async ({ endpoint }) => {
        // Quick: 100k items, so the whole-table baseline is well above the bounded buffer it is compared with.
        const r = await runMemoryBench({ endpoint, items: quick ? 100_000 : 200_000 })
        return [{ name: 'memory.stalled-consumer', unit: 'MiB peak RSS growth (lower is better)', ours: r.ours, baseline: r.baseline, baselineName: 'reader buffering the whole table (seed-style)', target: 'flat' }]
      }
    },
    {
      name: 'pipeline.copy',
      endpoint: 'fresh',
      run: async ({ endpoint }) => {
        const r = await runCopyBench({ endpoint, items: quick ? 5_000 : 20_000 })
        return [{ name: 'pipeline.copy', unit: 'items/s (higher is better)', ours: r.ours, baseline: r.baseline, baselineName: 'raw parallel Scan → BatchWriteItem loop (4 in flight)' }]
      }
    },
    {
      name: 'pipeline.copy-tables',
      endpoint: 'fresh',
      run: async ({ endpoint }) => {
        const r = await runManyTablesCopyBench({ endpoint, items: quick ? 4_000 : 20_000, tables: 4 })
        return [{ name: 'pipeline.copy-tables', unit: 'items/s (higher is better)', ours: r.ours, baseline: r.baseline, baselineName: 'the same 4 tables copied one after another (4 single-table sources)' }]
      }
    },
    {
      name: 'format',
      endpoint: 'none',
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
