import t from 'tap'
import { PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { numberRule, toAttributeMap } from '../../../src/model/codec.js'
import { JS_NUMBER_LIMITS, NUMBER_LIMITS } from '../../helpers/number-limits.js'

const db = await useDynamo(t)
const table = await db.createTable()

// DynamoDB Local's own answer, through the low-level client (no codec of ours in the way).
async function serverAnswer (value: AttributeValue): Promise<true | string> {
  try {
    await db.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'n' }, v: value } }))
    return true
  } catch (err) {
    if ((err as Error).name !== 'ValidationException') throw err
    return (err as Error).message
  }
}

t.test('DynamoDB Local accepts a number text exactly when numberRule does, at the top, nested and in a set', async (t) => {
  for (const [text, recorded] of NUMBER_LIMITS) {
    const shapes: Array<[string, AttributeValue]> = [['top', { N: text }], ['nested', { L: [{ M: { x: { N: text } } }] }], ['set', { NS: [text] }]]
    for (const [where, value] of shapes) {
      const answer = await serverAnswer(value)
      t.equal(answer === true ? true : answer.slice(0, recorded === true ? 0 : recorded.length), recorded, `${JSON.stringify(text)} ${where}: the server still answers as recorded (${answer === true ? 'stored' : answer})`)
      t.equal(numberRule(text) === undefined, answer === true, `${JSON.stringify(text)} ${where}: we agree (${numberRule(text) ?? 'ok'})`)
    }
  }
})

t.test('DynamoDB Local accepts a JS number exactly when toAttributeMap does', async (t) => {
  for (const [n, recorded] of JS_NUMBER_LIMITS) {
    const answer = await serverAnswer({ N: String(n) })
    t.equal(answer === true ? true : answer.slice(0, recorded === true ? 0 : recorded.length), recorded, `${String(n)}: the server still answers as recorded`)
    let ours = true
    try { toAttributeMap({ v: n }) } catch { ours = false }
    t.equal(ours, answer === true, `${String(n)}: we agree`)
  }
})
