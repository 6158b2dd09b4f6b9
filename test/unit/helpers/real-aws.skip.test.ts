import t from 'tap'
import { realAwsMode } from '../../aws/mode.js'

// npm test stays local; its log says once that the real-AWS suite (npm run test:aws) did not run, and why.
const mode = realAwsMode()
t.test('real-AWS suite (npm run test:aws)', { skip: mode.run ? false : mode.why }, async (t) => {
  t.pass(`npm run test:aws would run ${mode.why}`)
})

t.test('the mode needs the opt-in and all three variables, or DYNAMODB_ENDPOINT', async (t) => {
  t.equal(realAwsMode({}).run, false)
  t.match(realAwsMode({ DYNAMODB_OPENCDC_REAL_AWS: '1', AWS_REGION: 'eu-west-1' }).why, /AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY are not set/)
  t.equal(realAwsMode({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'r' }).run, false, 'credentials alone do not opt in')
  t.equal(realAwsMode({ DYNAMODB_OPENCDC_REAL_AWS: '1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'r' }).run, true)
  t.same(realAwsMode({ DYNAMODB_OPENCDC_REAL_AWS: '1', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' }).endpoint, 'http://127.0.0.1:8000')
})
