// Saves ever larger checkpoints to argv[2] in a loop until killed; prints SAVED n after each save.
import { FileCheckpointStore } from '../../src/checkpoint/stores.js'

const store = new FileCheckpointStore<{ n: number, pad: string }>(process.argv[2] as string)
for (let n = 0; ; n++) {
  await store.save({ n, pad: String(n % 10).repeat(2_000_000 + (n % 7) * 100_000) })
  process.stdout.write(`SAVED ${n}\n`)
}
