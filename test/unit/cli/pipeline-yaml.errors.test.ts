import t from 'tap'
import { parsePipelineYaml } from '../../../src/cli/support/pipeline-yaml.js'
import { isOpenCDCError } from '../../../src/errors/index.js'

function error (text: string): { code: string, message: string } {
  try {
    parsePipelineYaml(text, { file: 'p.yaml', env: {} })
  } catch (err) {
    if (isOpenCDCError(err)) return { code: err.code, message: err.message }
    throw err
  }
  throw new Error('expected an error')
}

const HEAD = 'version: 2.2\npipelines:\n  - id: p\n    connectors:\n'
const FILE_DEST = '      - { id: d, type: destination, plugin: builtin:file, settings: { path: o } }\n'
const DDB_SRC = '      - { id: s, type: source, plugin: dynamodb, settings: { table: t } }\n'

t.test('an unsupported plugin names the line, path, connector and the supported plugins', async (t) => {
  const e = error(HEAD + '      - { id: s, type: source, plugin: builtin:kafka }\n' + FILE_DEST)
  t.equal(e.code, 'ERR_DDB_PIPELINE_CONFIG')
  t.match(e.message, /^p\.yaml:5 \(pipelines\[0\]\.connectors\[0\]\.plugin\): connector "s": plugin "builtin:kafka" is not supported; supported plugins: dynamodb/)
})

t.test('pipeline processors are refused with the line they are on', async (t) => {
  const e = error(HEAD + DDB_SRC + FILE_DEST + '    processors:\n      - id: x\n        plugin: field.set\n')
  t.match(e.message, /^p\.yaml:8 \(pipelines\[0\]\.processors\): pipeline "p": processors are not supported/)
})

t.test('connector processors are refused', async (t) => {
  const e = error(HEAD + '      - id: s\n        type: source\n        plugin: dynamodb\n        processors: [{ id: x, plugin: js }]\n' + FILE_DEST)
  t.match(e.message, /\(pipelines\[0\]\.connectors\[0\]\.processors\): connector "s": processors are not supported/)
})

t.test('an empty processors list is fine', async (t) => {
  t.doesNotThrow(() => parsePipelineYaml(HEAD + DDB_SRC + FILE_DEST + '    processors: []\n', { env: {} }))
})

t.test('a connector type other than source or destination is refused', async (t) => {
  const e = error(HEAD + '      - { id: s, type: sauce, plugin: dynamodb }\n' + FILE_DEST)
  t.match(e.message, /connector "s": type must be "source" or "destination", got "sauce"/)
})

t.test('a running pipeline needs a source and a destination', async (t) => {
  const e = error(HEAD + DDB_SRC)
  t.match(e.message, /pipeline "p" needs at least one source and one destination connector \(has 1 and 0\)/)
})

t.test('a settings value that is a map or list is refused by key', async (t) => {
  const e = error(HEAD + '      - { id: s, type: source, plugin: dynamodb, settings: { table: [a, b] } }\n' + FILE_DEST)
  t.match(e.message, /\(pipelines\[0\]\.connectors\[0\]\.settings\.table\): expected a string, got a list/)
})

t.test('a file connector without a path, or with an unknown setting, is refused', async (t) => {
  t.match(error(HEAD + DDB_SRC + '      - { id: d, type: destination, plugin: builtin:file }\n').message, /option "path" \(or "path"\) is required|"path".*required/)
  t.match(error(HEAD + DDB_SRC + '      - { id: d, type: destination, plugin: builtin:file, settings: { path: o, pth: x } }\n').message, /unknown option "pth"/)
})

t.test('unknown pipeline and connector fields are refused (typos do not pass silently)', async (t) => {
  t.match(error(HEAD + DDB_SRC + FILE_DEST + '    stauts: running\n').message, /unknown pipeline field "stauts"/)
  t.match(error(HEAD + '      - { id: s, type: source, plugin: dynamodb, setings: { table: t } }\n' + FILE_DEST).message, /unknown connector field "setings"/)
})

t.test('duplicate connector and pipeline ids are refused', async (t) => {
  t.match(error(HEAD + DDB_SRC + DDB_SRC.replace('source', 'destination')).message, /connector id "s" appears twice/)
  const one = 'version: 2.2\npipelines:\n  - id: p\n    status: stopped\n  - id: p\n    status: stopped\n'
  t.match(error(one).message, /pipeline id "p" appears twice/)
})

t.test('a bad version, bad status or missing pipelines is refused', async (t) => {
  t.match(error('version: 3\npipelines: []\n').message, /expected a Conduit pipeline config version like 2.2, got "3"/)
  t.match(error('pipelines: []\n').message, /version like 2.2, got ""/)
  t.match(error(HEAD.replace('    connectors:\n', '    status: paused\n')).message, /status must be "running" or "stopped", got "paused"/)
  t.match(error('version: 2.2\n').message, /no pipelines found/)
  t.match(error('').message, /no pipelines found/)
})

t.test('invalid YAML names the line', async (t) => {
  const e = error('version: 2.2\npipelines:\n  - id: [p\n')
  t.match(e.message, /^p\.yaml:\d+: invalid YAML/)
})

t.test('a dlq plugin other than builtin:file or builtin:log is refused', async (t) => {
  t.match(error(HEAD + DDB_SRC + FILE_DEST + '    dlq: { plugin: builtin:kafka }\n').message, /dlq plugin "builtin:kafka" is not supported/)
  t.match(error(HEAD + DDB_SRC + FILE_DEST + '    dlq: { plugin: builtin:file }\n').message, /a builtin:file dlq needs a path setting/)
})
