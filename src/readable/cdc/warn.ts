import type { EventEmitter } from 'node:events'
import type { OpenCDCError } from '../../errors/index.js'

/**
 * Tells the user about something that did not stop the stream (a dead-lettered record): a 'warning'
 * event on the stream when someone listens, otherwise a process warning (printed on stderr), never nothing.
 */
export function warnOn (stream: EventEmitter | undefined, err: OpenCDCError): void {
  if (stream !== undefined && stream.listenerCount('warning') > 0) stream.emit('warning', err)
  else process.emitWarning(err.message, { type: 'OpenCDCWarning', code: err.code })
}
