import t from 'tap'
import { readFileSync } from 'node:fs'
import { DeadLetterFile } from '../../../src/cli/support/dead-letter.js'
import { createSerializer } from '../../../src/transforms/format.js'
import { OpenCDCError } from '../../../src/errors/index.js'

t.test('a dead-lettered stream record is one JSON line, bytes as base64, written before the call resolves', async (t) => {
  const file = `${t.testdir({})}/dead.jsonl`
  const out = new DeadLetterFile(file, await createSerializer('opencdc/json', ''))
  const record = { eventID: 'e3', eventName: 'INSERT', dynamodb: { SequenceNumber: '3', Keys: { id: { B: new Uint8Array([0, 255]) } }, NewImage: { id: { B: new Uint8Array([0, 255]) }, x: { X: 1 } } } }
  await out.streamRecord(record, new OpenCDCError('ERR_DDB_INVALID_STREAM_RECORD', 'bad'))
  t.same(JSON.parse(readFileSync(file, 'utf8')), {
    error: { code: 'ERR_DDB_INVALID_STREAM_RECORD', message: 'bad' },
    streamRecord: { eventID: 'e3', eventName: 'INSERT', dynamodb: { SequenceNumber: '3', Keys: { id: { B: 'AP8=' } }, NewImage: { id: { B: 'AP8=' }, x: { X: 1 } } } }
  }, 'on disk once streamRecord resolved')
  t.equal(out.count, 1)
  await out.close()
})
