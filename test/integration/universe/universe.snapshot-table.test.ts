import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { KEY_VARIANTS, label, snapshotThrough } from '../../helpers/universe-path.js'

const ddb = await useDynamo(t)

for (const v of KEY_VARIANTS) {
  t.test(`snapshot → table copies every ${label(v)} universe item exactly`, async (t) => {
    await snapshotThrough(t, ddb, { ...v, count: 80, seed: 101 }, () => [])
  })
}
