import t from 'tap'
import { viewTypeLoss } from '../../../../src/readable/cdc/stream-check.js'

t.test('NEW_AND_OLD_IMAGES loses nothing', async (t) => {
  t.equal(viewTypeLoss('NEW_AND_OLD_IMAGES'), undefined)
})

t.test('every other view type says precisely what records lose', async (t) => {
  t.match(viewTypeLoss('NEW_IMAGE'), /updates and deletes carry no before image/)
  t.match(viewTypeLoss('OLD_IMAGE'), /creates and updates carry no after image/)
  t.match(viewTypeLoss('KEYS_ONLY'), /only the key/)
  t.match(viewTypeLoss('SOMETHING'), /unknown/)
})
