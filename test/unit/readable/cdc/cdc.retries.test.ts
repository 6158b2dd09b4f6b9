import t from 'tap'
import { fakeStreams, readerOptions } from '../../../helpers/fake-streams.js'
import { ChangeReader } from '../../../../src/readable/cdc/change-reader.js'
import { resolveChangeStreamOptions } from '../../../../src/readable/cdc/settings.js'

// GetRecords always throttled: the reader retries it maxRetries times, then fails naming the attempts.
function throttledReader (maxRetries: number): { reader: ChangeReader, errors: Error[], getRecords: () => number } {
  const streams = fakeStreams([{ id: 's', seqs: [1, 2], closed: false }])
  const send = streams.send.bind(streams) as (cmd: object, opts?: object) => Promise<unknown>
  let getRecords = 0
  ;(streams as unknown as { send: typeof send }).send = async (cmd, opts) => {
    if (cmd.constructor.name === 'GetRecordsCommand') {
      getRecords++
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })
    }
    return await send(cmd, opts)
  }
  const errors: Error[] = []
  const reader = new ChangeReader(readerOptions(streams, { maxRetries }), { push: () => true, progress: () => {}, error: (e) => { errors.push(e) } })
  return { reader, errors, getRecords: () => getRecords }
}

t.test('a throttled GetRecords is sent maxRetries + 1 times, then the reader fails with ERR_DDB_STREAM_READ', async (t) => {
  const { reader, errors, getRecords } = throttledReader(2)
  await reader.anchor()
  reader.startEmitting()
  for (let i = 0; i < 400 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5))
  await reader.close()
  t.equal(getRecords(), 3)
  t.match(errors[0], { code: 'ERR_DDB_STREAM_READ', message: /GetRecords on shard s failed after 3 attempts: Rate exceeded/ })
})

t.test('cdcRetries (cdc.retries) sets the stream call retries; 8 by default', async (t) => {
  const base = { table: 't', region: 'us-east-1' }
  t.equal(resolveChangeStreamOptions(base).cdcRetries, 8)
  t.equal(resolveChangeStreamOptions({ ...base, 'cdc.retries': '3' }).cdcRetries, 3)
  t.equal(resolveChangeStreamOptions({ ...base, cdcRetries: 0 }).cdcRetries, 0)
  t.throws(() => resolveChangeStreamOptions({ ...base, cdcRetries: -1 }), { code: 'ERR_DDB_INVALID_OPTION' })
})
