import t from 'tap'
import { compileTemplate } from '../../../../src/transforms/index.js'
import { render } from './template.fixtures.js'

t.test('a missing key is an error naming the key, never an empty string', async (t) => {
  t.throws(() => render('{{ .Payload.After.nope }}'), { code: 'ERR_DDB_INVALID_TEMPLATE', message: /line 1: missing key "nope" in .Payload.After/ })
  t.throws(() => render('{{ index .Metadata "nope" }}'), { code: 'ERR_DDB_INVALID_TEMPLATE', message: /index: missing key "nope"/ })
  t.throws(() => render('{{ .Payload.After.gone }}'), { message: /is null; guard it/ })
  t.throws(() => render('x\n{{ .Payload.Before.qty.deeper }}'), { message: /line 2: can't read .deeper: .Payload.Before.qty is not a map/ })
})

t.test('an unsupported construct is an error at compile time', async (t) => {
  t.throws(() => compileTemplate('{{ define "x" }}{{ end }}'), { code: 'ERR_DDB_INVALID_TEMPLATE', message: /\{\{define\}\} is not supported/ })
  t.throws(() => compileTemplate('{{ template "x" . }}'), { message: /not supported/ })
  t.throws(() => compileTemplate('{{ if .Key }}x'), { message: /unclosed \{\{if\}\}: missing \{\{end\}\}/ })
  t.throws(() => compileTemplate('{{ end }}'), { message: /unexpected \{\{end\}\}/ })
  t.throws(() => compileTemplate('{{ .Key '), { message: /unclosed action/ })
  t.throws(() => render('{{ sprigThing .Key }}'), { message: /function "sprigThing" is not supported/ })
  t.throws(() => render('{{ printf "%08b" 1 }}'), { message: /unsupported verb/ })
})
