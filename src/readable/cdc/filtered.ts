import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import type { _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import { filterChange, type ChangeFilter, type StreamEventName } from '../../filter/change.js'
import type { Item } from '../../filter/index.js'
import { isOpenCDCError } from '../../errors/index.js'
import { invalidStreamRecord, type ConvertContext } from './convert.js'

const EVENT_OF = { create: 'INSERT', update: 'MODIFY', delete: 'REMOVE' } as const

/**
 * A raw stream event under a filter, before decoding: the event rewritten to what it becomes (INSERT,
 * MODIFY or REMOVE with projected images, key attributes kept), or undefined when it stays out of the
 * filter (the caller still moves the checkpoint past it).
 */
export function filterStreamEvent (event: StreamEvent, opts: ChangeFilter, ctx: ConvertContext): StreamEvent | undefined {
  const data = event.dynamodb
  const name = event.eventName
  if (data === undefined || (name !== 'INSERT' && name !== 'MODIFY' && name !== 'REMOVE')) return event // toOpenCDC names what is wrong
  const projection = opts.projection
  const keyNames = Object.keys(data.Keys ?? {})
  // Stream keys are the table's key attributes: kept in every projected image, as the snapshot does.
  const project = projection === undefined ? undefined : (img: Item): Item => {
    const out = projection(img)
    for (const k of keyNames) if (!(k in out) && img[k] !== undefined) out[k] = img[k] as AttributeValue
    return out
  }
  let change
  try {
    change = filterChange(name as StreamEventName, data.OldImage as Item | undefined, data.NewImage as Item | undefined, { ...(opts.filter !== undefined ? { filter: opts.filter } : {}), ...(project !== undefined ? { projection: project } : {}) })
  } catch (err) {
    if (!isOpenCDCError(err, 'ERR_DDB_STREAM_VIEW_TYPE') && !isOpenCDCError(err, 'ERR_DDB_ITEM_FILTER')) throw err
    throw Object.assign(invalidStreamRecord(ctx, event, err.message, err.details ?? {}), { cause: err })
  }
  if (change.operation === 'nothing') return undefined
  const { OldImage: _old, NewImage: _new, ...rest } = data
  const images: { OldImage?: Item, NewImage?: Item } = {}
  if (change.operation !== 'create' && change.before !== undefined) images.OldImage = change.before
  if (change.operation !== 'delete') images.NewImage = change.after
  return { ...event, eventName: EVENT_OF[change.operation], dynamodb: { ...rest, ...images } as StreamEvent['dynamodb'] }
}
