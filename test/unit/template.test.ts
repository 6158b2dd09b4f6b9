import t from 'tap'
import { compileTemplate } from '../../src/transforms/index.js'
import { decodeNumber } from '../../src/codec.js'
import { createRecord } from '../../src/record.js'

const rec = createRecord({
  position: 'pos-1',
  operation: 'update',
  metadata: { 'opencdc.collection': 'Orders', 'opencdc.readAt': '1700000000000000000' },
  key: { id: 'k1' },
  before: { id: 'k1', qty: 1 },
  after: { id: 'k1', qty: 2, price: decodeNumber('12345678901234567890.123456789'), tags: ['a', 'b'], ok: true, gone: null, nested: { x: 1 }, bin: Buffer.from('hi') }
})

const render = (text: string) => compileTemplate(text)(rec)

t.test('prints fields of the payload, key, operation and position', async (t) => {
  t.equal(render('{{ .Operation }} {{ .Key.id }} {{ .Payload.After.qty }} {{ .Position }}'), 'update k1 2 pos-1')
  t.equal(render('{{ .Payload.After.price }}'), '12345678901234567890.123456789', 'every digit of a precise number')
  t.equal(render('{{ .Payload.After.bin }}'), 'hi', 'bytes print as UTF-8')
  t.equal(render('{{ .Payload.After.nested }}'), '{"x":1}', 'maps print as JSON')
})

t.test('index reads metadata keys that are not identifiers', async (t) => {
  t.equal(render('{{ index .Metadata "opencdc.collection" }}'), 'Orders')
  t.equal(render('{{ index .Payload.After.tags 1 }}'), 'b')
})

t.test('printf supports %s %v %d %q %f with width and precision', async (t) => {
  t.equal(render('{{ printf "%s=%d (%q) %.2f %5s|%-3v|" .Key.id .Payload.After.qty .Operation 3.14159 "ab" 7 }}'), 'k1=2 ("update") 3.14    ab|7  |')
  t.equal(render('{{ printf "%d" .Payload.After.price }}'.replace('price', 'qty')), '2')
})

t.test('toJson writes values with sorted keys and every digit, also through a pipe', async (t) => {
  t.equal(render('{{ toJson .Payload.After.nested }}'), '{"x":1}')
  t.equal(render('{{ .Payload.After | toJson }}'), '{"bin":"aGk=","gone":null,"id":"k1","nested":{"x":1},"ok":true,"price":12345678901234567890.123456789,"qty":2,"tags":["a","b"]}')
  t.equal(render('{{ .Key | toJson | printf "key=%s" }}'), 'key={"id":"k1"}')
})

t.test('if / else if / else with comparisons, and/or/not', async (t) => {
  const tpl = '{{ if eq .Operation "create" }}C{{ else if and (eq .Operation "update") (gt .Payload.After.qty .Payload.Before.qty) }}UP{{ else }}OTHER{{ end }}'
  t.equal(render(tpl), 'UP')
  t.equal(render('{{ if not .Payload.After.ok }}no{{ else }}yes{{ end }}'), 'yes')
  t.equal(render('{{ if or .Payload.After.gone .Payload.After.ok }}t{{ end }}'), 't')
  t.equal(render('{{ if eq .Payload.After.price 12345678901234567890.123456789 }}same{{ end }}'), '', 'a double literal is not the precise value')
  t.equal(render('{{ if ne .Operation "delete" }}live{{ end }}'), 'live')
})

t.test('range over lists and maps, with variables and else', async (t) => {
  t.equal(render('{{ range .Payload.After.tags }}[{{ . }}]{{ end }}'), '[a][b]')
  t.equal(render('{{ range $i, $t := .Payload.After.tags }}{{ $i }}={{ $t }};{{ end }}'), '0=a;1=b;')
  t.equal(render('{{ range $k, $v := .Key }}{{ $k }}:{{ $v }}{{ end }}'), 'id:k1')
  t.equal(render('{{ range .Payload.After.gone }}x{{ else }}empty{{ end }}'), 'empty')
})

t.test('with, variables, $ and trim markers', async (t) => {
  t.equal(render('{{ with .Payload.After.nested }}{{ .x }}/{{ $.Operation }}{{ end }}'), '1/update')
  t.equal(render('{{ $c := index .Metadata "opencdc.collection" }}{{ $c }}'), 'Orders')
  t.equal(render('a  {{- " b " -}}  c\n{{/* a comment */}}d'), 'a b c\nd')
})

t.test('hasKey and default guard optional attributes', async (t) => {
  t.equal(render('{{ if hasKey .Payload.After "qty" }}has{{ end }}{{ if hasKey .Payload.After "nope" }}no{{ end }}'), 'has')
  t.equal(render('{{ default "none" .Payload.After.gone }}'), 'none')
  t.equal(render('{{ len .Payload.After.tags }} {{ upper .Key.id }} {{ quote .Operation }}'), '2 K1 "update"')
})

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
