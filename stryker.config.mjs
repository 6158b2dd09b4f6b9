// StrykerJS over the pure modules, each mutated against its own unit tests only (npm run test:mutation [module…]).
// MUTATION_MODULE picks the module; scripts/mutation.mjs runs them one after another.
export const MODULES = {
  'batch-plan': { mutate: ['src/writable/batch-plan.ts'], tests: ['test/unit/writable/batch-plan.*.test.ts'] },
  'ack-tracker': { mutate: ['src/checkpoint/tracker.ts'], tests: ['test/unit/checkpoint/ack-tracker.*.test.ts'] },
  codec: { mutate: ['src/model/codec.ts'], tests: ['test/unit/model/codec.*.test.ts'] },
  patch: { mutate: ['src/writable/patch.ts'], tests: ['test/unit/writable/writer.patch-diff.test.ts'] },
  concurrency: { mutate: ['src/writable/concurrency.ts'], tests: ['test/unit/writable/limiter.adaptive-concurrency.test.ts'] },
  'rate-limit': { mutate: ['src/writable/rate-limit.ts'], tests: ['test/unit/writable/limiter.rate-plan.test.ts'] },
  'shard-tree': { mutate: ['src/readable/cdc/shard-tree.ts'], tests: ['test/unit/readable/cdc/shard-tree.*.test.ts'] },
  positions: { mutate: ['src/readable/snapshot/position.ts', 'src/readable/cdc/position.ts'], tests: ['test/unit/readable/snapshot/position.snapshot.test.ts', 'test/unit/readable/cdc/cdc.position.test.ts'] },
  json: { mutate: ['src/model/json-value.ts', 'src/model/json-exact.ts', 'src/model/dynamodb-json.ts'], tests: ['test/unit/model/json-value*.test.ts'] },
  options: { mutate: ['src/options/options.ts', 'src/readable/options.ts'], tests: ['test/unit/options/config.settings.test.ts', 'test/unit/readable/snapshot.options.test.ts'] }
}

const name = process.env.MUTATION_MODULE ?? 'batch-plan'
const module = MODULES[name]
if (module === undefined) throw new Error(`unknown MUTATION_MODULE ${name}; one of ${Object.keys(MODULES).join(', ')}`)

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: module.mutate,
  tap: {
    testFiles: module.tests,
    // tap's own TypeScript loader, transpile-only (TS_NODE_TRANSPILE_ONLY is set by scripts/mutation.mjs).
    nodeArgs: ['--import=@tapjs/typescript/import', '-r', '{{hookFile}}', '{{testFile}}']
  },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 8000,
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'reports', '.tap', 'benchmarks/results*'],
  incremental: false,
  cleanTempDir: 'always'
}
