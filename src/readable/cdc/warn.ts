import type { EventEmitter } from 'node:events'
import { OpenCDCError } from '../../errors/index.js'

/**
 * Tells the user about something that did not stop the stream (a dead-lettered record): a 'warning'
 * event on the stream when someone listens, otherwise a process warning (printed on stderr), never nothing.
 */
export function warnOn (stream: EventEmitter | undefined, err: OpenCDCError): void {
  if (stream !== undefined && stream.listenerCount('warning') > 0) stream.emit('warning', err)
  else process.emitWarning(err.message, { type: 'OpenCDCWarning', code: err.code })
}

/**
 * A warner for reading paused on maxUnacked: says once per stream why nothing more is read (a consumer that
 * forgets to acknowledge would otherwise stop silently) and how to change it.
 */
export function ackBoundWarner (stream: EventEmitter, component: string, maxUnacked: number): () => void {
  let warned = false
  return () => {
    if (warned) return
    warned = true
    warnOn(stream, new OpenCDCError('ERR_DDB_UNACKED_LIMIT', `${component}: reading paused: ${maxUnacked} records emitted and not acknowledged (checkpoint.maxUnacked=${maxUnacked}); acknowledge each record once it is handled (source.ack(record), or ackOnWrite(source, destination)), or raise checkpoint.maxUnacked`, { maxUnacked }))
  }
}
