import t from 'tap'
import { Writable } from 'node:stream'
import { createUi } from '../../../src/cli/support/ui.js'

function fakeStderr (tty: boolean): Writable & { text: () => string, isTTY: boolean, columns: number } {
  const chunks: string[] = []
  const w = new Writable({ write (c: Buffer, _e, cb) { chunks.push(c.toString()); cb() } })
  const out = Object.assign(w, { isTTY: tty, columns: 120, text: () => chunks.join('') }) as Writable & { text: () => string, isTTY: boolean, columns: number }
  // cli-progress moves the cursor through these on a TTY.
  Object.assign(out, { cursorTo: () => true, clearLine: () => true, moveCursor: () => true })
  return out
}

const tick = async (): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, 150)) }

t.test('on a TTY the progress bar shows items, total, rate and ETA on stderr', async (t) => {
  const err = fakeStderr(true)
  const ui = createUi({ stderr: err })
  const bar = ui.progress('snapshot')
  bar.update(250, 1000)
  await tick()
  bar.update(500, 1000)
  await tick()
  bar.stop()
  ui.close()
  t.match(err.text(), /snapshot \[=+-+\] 500\/1000 items \| \d+\/s \| ETA \d+s/)
})

t.test('with an unknown total the bar shows a count and a rate only', async (t) => {
  const err = fakeStderr(true)
  const ui = createUi({ stderr: err })
  const bar = ui.progress('write')
  bar.update(42)
  await tick()
  bar.stop()
  ui.close()
  t.match(err.text(), /write 42 items \| \d+\/s/)
  t.notMatch(err.text(), /ETA/)
})

t.test('off a TTY, or with --quiet, no bar is drawn', async (t) => {
  for (const [tty, quiet] of [[false, false], [true, true]] as const) {
    const err = fakeStderr(tty)
    const ui = createUi({ stderr: err, quiet })
    const bar = ui.progress('snapshot')
    bar.update(10, 100)
    await tick()
    bar.stop()
    ui.close()
    t.equal(err.text(), '', `tty=${String(tty)} quiet=${String(quiet)}`)
  }
})

t.test('on a TTY logs are human lines at info; --quiet keeps only errors', async (t) => {
  const err = fakeStderr(true)
  const ui = createUi({ stderr: err })
  ui.log.info('read 3 records')
  ui.log.debug('hidden')
  ui.log.warn({ table: 'orders' }, 'slow')
  ui.close()
  t.equal(err.text(), 'INFO read 3 records\nWARN slow {"table":"orders"}\n')
  const quiet = fakeStderr(true)
  const q = createUi({ stderr: quiet, quiet: true })
  q.log.warn('not shown')
  q.log.error('shown')
  q.close()
  t.equal(quiet.text(), 'ERROR shown\n')
})

t.test('--verbose adds debug lines', async (t) => {
  const err = fakeStderr(true)
  const ui = createUi({ stderr: err, verbose: true })
  ui.log.debug('details')
  ui.close()
  t.equal(err.text(), 'DEBUG details\n')
})

t.test('off a TTY logs are JSON lines from level warn up', async (t) => {
  const err = fakeStderr(false)
  const ui = createUi({ stderr: err })
  ui.log.info('not shown')
  ui.log.warn('throttled')
  ui.close()
  const lines = err.text().trimEnd().split('\n').map((l) => JSON.parse(l) as { level: number, msg: string })
  t.same(lines.map((l) => [l.level, l.msg]), [[40, 'throttled']])
})
