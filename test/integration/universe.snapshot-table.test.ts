import t from 'tap'
import { useDynamo } from '../helpers/dynamo.js'
import { KEY_VARIANTS, label, snapshotThrough } from '../helpers/universe-path.js'

const ddb = await useDynamo(t)

for (const v of KEY_VARIANTS) {
  t.test(`snapshot → table copies every ${label(v)} universe item exactly`, async (t) => {
    await snapshotThrough(t, ddb, { ...v, count: 80, seed: 101 }, () => [])
  })
}

t.test('snapshot → table copies nested __proto__ names', { todo: 'codec: a nested attribute named __proto__ sets the prototype (fromAttributeMap out[k] = …)' }, async (t) => {
  await snapshotThrough(t, ddb, { key: 'N', count: 0, proto: true }, () => [])
})
