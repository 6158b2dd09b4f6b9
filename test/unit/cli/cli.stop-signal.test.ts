import t, { type Test } from 'tap'
import { PassThrough } from 'node:stream'
import { stopSignal, StopRequest } from '../../../src/cli/support/runtime.js'

t.test('the death of the parent process (a new ppid) stops the command like a signal', async (t) => {
  let ppid = 4242
  const stop = stopSignal(new PassThrough(), { ppid: () => ppid, pollMs: 5 })
  t.teardown(stop.dispose)
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.equal(stop.signal.aborted, false, 'same parent: nothing happens')
  ppid = 1 // re-parented to init (or a subreaper)
  for (let i = 0; i < 200 && !stop.signal.aborted; i++) await new Promise((resolve) => setTimeout(resolve, 5))
  t.ok(stop.signal.reason instanceof StopRequest)
  t.equal((stop.signal.reason as StopRequest).why, 'parent exit')
})

/** A stop signal whose forced exit is recorded instead of ending the test process. */
function withFakeExit (t: Test): { stop: ReturnType<typeof stopSignal>, forced: () => unknown } {
  const stop = stopSignal(new PassThrough(), { ppid: () => 1 })
  const exit = process.exit
  let forced: unknown
  process.exit = ((code?: number) => { forced = code }) as typeof process.exit
  t.teardown(() => { process.exit = exit; stop.dispose() })
  return { stop, forced: () => forced }
}

t.test('one Ctrl-C delivered twice (terminal + a wrapper forwarding it) is one stop request, not a forced exit', async (t) => {
  const { stop, forced } = withFakeExit(t)
  process.emit('SIGINT', 'SIGINT')
  process.emit('SIGINT', 'SIGINT')
  t.equal(forced(), undefined, 'no exit 130')
  t.equal((stop.signal.reason as StopRequest).why, 'SIGINT')
})

t.test('a second Ctrl-C pressed later still forces the exit with 130', async (t) => {
  const { forced } = withFakeExit(t)
  process.emit('SIGTERM', 'SIGTERM')
  await new Promise((resolve) => setTimeout(resolve, 400))
  process.emit('SIGTERM', 'SIGTERM')
  t.equal(forced(), 130)
})
