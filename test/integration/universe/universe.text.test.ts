import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { KEY_VARIANTS, label, snapshotThrough, tap } from '../../helpers/universe-path.js'
import { format } from '../../../src/transforms/format.js'
import { parseJSONL } from '../../../src/transforms/jsonl.js'

const ddb = await useDynamo(t)

for (const v of KEY_VARIANTS) {
  t.test(`snapshot → default opencdc/json text → parseJSONL → table keeps every ${label(v)} universe item exactly`, async (t) => {
    let text = ''
    await snapshotThrough(t, ddb, { ...v, count: 80, seed: 303 }, () => [format('opencdc/json'), tap((c) => { text += String(c) }), parseJSONL()])
    const lines = text.split('\n').filter((l) => l !== '')
    const invalid = lines.filter((l) => { try { JSON.parse(l); return false } catch { return true } })
    t.equal(invalid.length, 0, `all ${lines.length} lines are valid JSON`)
    t.ok(lines.some((l) => l.includes('"dynamodb.types"')), 'sets and binaries travel as type hints')
  })
}
