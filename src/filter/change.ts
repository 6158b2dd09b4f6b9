import type { StreamViewType } from '@aws-sdk/client-dynamodb-streams'
import { OpenCDCError } from '../errors/index.js'
import type { Item, ItemPredicate } from './compile.js'
import type { ItemProjector } from './projection.js'

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE'

/** What a filtered, projected stream event becomes downstream. */
export type FilteredChange =
  | { operation: 'create', after: Item }
  | { operation: 'update', before: Item | undefined, after: Item }
  | { operation: 'delete', before: Item | undefined }
  | { operation: 'nothing' }

export interface ChangeFilter {
  filter?: ItemPredicate
  projection?: ItemProjector
}

/** A filter must see the item before and after each change, so it needs NEW_AND_OLD_IMAGES; refuse other view types up front. */
export function checkViewTypeForFilter (viewType: StreamViewType | string | undefined, table?: string): void {
  if (viewType === 'NEW_AND_OLD_IMAGES') return
  throw new OpenCDCError('ERR_DDB_STREAM_VIEW_TYPE', `a filter needs the stream of ${table ?? 'the table'} to carry old and new images (StreamViewType NEW_AND_OLD_IMAGES), it has ${viewType ?? 'none'}: without the old image an item updated out of the filter could not be deleted downstream`, { table, viewType, needed: 'NEW_AND_OLD_IMAGES' })
}

/**
 * The change a stream event becomes under a filter: in before and after → update; only after → create
 * (the whole projected new image: the destination never had it); only before → delete; neither →
 * nothing. Without a filter the event keeps its own kind. Every image is projected.
 */
export function filterChange (event: StreamEventName, oldImage: Item | undefined, newImage: Item | undefined, opts: ChangeFilter): FilteredChange {
  const project = opts.projection ?? ((i: Item) => i)
  const filter = opts.filter
  if (filter === undefined) {
    if (event === 'INSERT' && newImage !== undefined) return { operation: 'create', after: project(newImage) }
    if (event === 'MODIFY' && newImage !== undefined) return { operation: 'update', before: oldImage === undefined ? undefined : project(oldImage), after: project(newImage) }
    if (event === 'REMOVE') return { operation: 'delete', before: oldImage === undefined ? undefined : project(oldImage) }
    throw missingImage(event, 'new')
  }
  // INSERT has no old item and REMOVE no new one; the other images must be there.
  if (event !== 'INSERT' && oldImage === undefined) throw missingImage(event, 'old')
  if (event !== 'REMOVE' && newImage === undefined) throw missingImage(event, 'new')
  const wasIn = event !== 'INSERT' && filter(oldImage as Item)
  const isIn = event !== 'REMOVE' && filter(newImage as Item)
  if (wasIn && isIn) return { operation: 'update', before: project(oldImage as Item), after: project(newImage as Item) }
  if (isIn) return { operation: 'create', after: project(newImage as Item) }
  if (wasIn) return { operation: 'delete', before: project(oldImage as Item) }
  return { operation: 'nothing' }
}

/** The user's itemFilter as an ItemPredicate: it must return a boolean; what it throws is named as its failure (ERR_DDB_ITEM_FILTER). */
export function checkedPredicate (fn: (image: Item) => boolean): ItemPredicate {
  return (item) => {
    let out: unknown
    try {
      out = fn(item)
    } catch (err) {
      throw new OpenCDCError('ERR_DDB_ITEM_FILTER', `itemFilter threw: ${(err as Error)?.message ?? String(err)}`, {}, { cause: err })
    }
    if (typeof out !== 'boolean') throw new OpenCDCError('ERR_DDB_ITEM_FILTER', `itemFilter returned ${out === null ? 'null' : typeof out}, not a boolean (true: the image is in the filter)`, { returned: out === null ? 'null' : typeof out })
    return out
  }
}

function missingImage (event: StreamEventName, which: 'old' | 'new'): OpenCDCError {
  return new OpenCDCError('ERR_DDB_STREAM_VIEW_TYPE', `a ${event} stream record without its ${which} image: ${which === 'old' ? 'a filter needs StreamViewType NEW_AND_OLD_IMAGES' : 'the stream view type carries no new images'}`, { event, missing: which })
}
