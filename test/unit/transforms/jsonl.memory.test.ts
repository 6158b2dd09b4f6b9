import t from 'tap'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseJSONL } from '../../../src/transforms/jsonl.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'

const LINES = 1_000_000

// Lines are generated lazily in 64 KiB chunks, so the input is ~190 MB without ever being held.
function * input (): Generator<Buffer> {
  let batch: string[] = []
  for (let i = 0; i < LINES; i++) {
    batch.push(`{"position":"${Buffer.from(`p${i}`).toString('base64')}","operation":"create","metadata":{"opencdc.collection":"Orders"},"key":{"id":${i}},"payload":{"before":null,"after":{"id":${i},"name":"item ${i}","n":12345678901234567890123456789012345678}}}\n`)
    if (batch.length === 350) { yield Buffer.from(batch.join('')); batch = [] }
  }
  if (batch.length > 0) yield Buffer.from(batch.join(''))
}

t.test('parses a 1M-line input at constant memory', async (t) => {
  const before = process.memoryUsage()
  let peakHeap = before.heapUsed
  let peakRss = before.rss
  let count = 0
  let lastId = -1
  let ordered = true
  await pipeline(Readable.from(input(), { objectMode: false }), parseJSONL(), new Writable({
    objectMode: true,
    highWaterMark: 16,
    write (r: OpenCDCRecord, _enc, cb) {
      const id = (r.key as { id: number }).id
      if (id !== lastId + 1) ordered = false
      lastId = id
      if (++count % 50_000 === 0) {
        const m = process.memoryUsage()
        peakHeap = Math.max(peakHeap, m.heapUsed)
        peakRss = Math.max(peakRss, m.rss)
      }
      cb()
    }
  }))
  t.equal(count, LINES, 'every line became a record')
  t.ok(ordered, 'records come out in line order')
  const heapGrowth = (peakHeap - before.heapUsed) / 2 ** 20
  const rssGrowth = (peakRss - before.rss) / 2 ** 20
  t.comment(`heapUsed growth ${heapGrowth.toFixed(1)} MiB, rss growth ${rssGrowth.toFixed(1)} MiB over ~${(LINES * 190 / 2 ** 20).toFixed(0)} MiB of input`)
  t.ok(heapGrowth < 128, `heap grows by less than 128 MiB (grew ${heapGrowth.toFixed(1)} MiB)`)
  t.ok(rssGrowth < 256, `rss grows by less than 256 MiB (grew ${rssGrowth.toFixed(1)} MiB)`)
})
