import t from 'tap'
import { render } from './template.fixtures.js'

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

t.test('trim markers need whitespace next to the dash, as in Go', async (t) => {
  t.equal(render('a {{-\n.Operation\n-}} b'), 'aupdateb')
  t.equal(render('a {{-3}} b'), 'a -3 b')
  t.equal(render('{{ printf "%d" -3 }}'), '-3')
})

t.test('nested blocks inside an else-if chain close at the right end', async (t) => {
  const tpl = '{{ if eq .Operation "x" }}A{{ else if eq .Operation "y" }}B{{ else if eq .Operation "update" }}{{ if .Key }}K{{ range .Payload.After.tags }}{{ . }}{{ end }}{{ end }}C{{ else }}D{{ end }}tail'
  t.equal(render(tpl), 'KabCtail')
})
