import t from 'tap'
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, DynamoDBStreamHandler } from 'aws-lambda'
import { createStreamHandler, type LambdaContextLike, type LambdaStreamEvent, type LambdaStreamRecord, type StreamBatchResponse } from '../../../src/index.js'

// Checked by tsc (npm test runs it over test/): our re-declared shapes and @types/aws-lambda's are interchangeable,
// so users need not install @types/aws-lambda, and those who do can type their function with it (Lambda's
// events are accepted as they are; ours are looser, as a hand-built event in a test may be).
const handler = createStreamHandler({ destination: async () => {} })
export const typed: DynamoDBStreamHandler = handler
export const fromTheirs = (e: DynamoDBStreamEvent, r: DynamoDBRecord, c: Context, b: StreamBatchResponse): [LambdaStreamEvent, LambdaStreamRecord, LambdaContextLike, DynamoDBBatchResponse] => [e, r, c, b]
export const fromOurs = (b: DynamoDBBatchResponse): StreamBatchResponse => b

t.test('the handler is a function of (event, context) returning a promise', async (t) => {
  t.equal(typeof typed, 'function')
  t.same(await handler({ Records: [] }), { batchItemFailures: [] })
})
