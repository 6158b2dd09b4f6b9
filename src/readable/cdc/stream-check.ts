import { DescribeTableCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { sleep } from '../../aws/clients.js'
import { OpenCDCError } from '../../errors/index.js'

export type ViewType = 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY'

/** What records lose under a stream view type, or undefined when nothing is lost. */
export function viewTypeLoss (viewType: string): string | undefined {
  switch (viewType) {
    case 'NEW_AND_OLD_IMAGES': return undefined
    case 'NEW_IMAGE': return 'updates and deletes carry no before image (payload.before is null)'
    case 'OLD_IMAGE': return 'creates and updates carry no after image (payload.after is null), so a destination cannot apply them'
    case 'KEYS_ONLY': return 'records carry only the key: no before and no after image, so a destination can apply only deletes'
    default: return `the view type ${JSON.stringify(viewType)} is unknown`
  }
}

export interface StreamCheckOptions {
  client: DynamoDBClient
  streams: DynamoDBStreamsClient
  table: string
  enableStream: boolean
  enableStreamTimeout: number
  requireFullImages: boolean
  signal?: AbortSignal
  /** Pause between status polls while a stream is being enabled. */
  pollInterval?: number
}

export interface StreamInfo {
  streamArn: string
  viewType: ViewType
  /** Set when the view type loses data and requireFullImages is off. */
  loss: string | undefined
}

/** Finds the table's current stream; enables it on request; refuses a view type that loses data unless allowed. */
export async function checkStream (opts: StreamCheckOptions): Promise<StreamInfo> {
  const { client, table, signal } = opts
  const describe = async (): Promise<{ arn: string | undefined, enabled: boolean, viewType: string | undefined }> => {
    const out = await client.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal })
    const spec = out.Table?.StreamSpecification
    return { arn: out.Table?.LatestStreamArn, enabled: spec?.StreamEnabled === true, viewType: spec?.StreamViewType }
  }
  let info = await describe()
  if (!info.enabled) {
    if (!opts.enableStream) {
      throw new OpenCDCError('ERR_DDB_STREAM_DISABLED',
        `table ${table} has no DynamoDB stream enabled; enable one with view type NEW_AND_OLD_IMAGES ` +
        `(aws dynamodb update-table --table-name ${table} --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES) or set enableStream: true`,
        { table })
    }
    await client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }), { abortSignal: signal })
    info = await waitEnabled(opts, describe)
  }
  if (info.arn === undefined) throw new OpenCDCError('ERR_DDB_STREAM_DISABLED', `table ${table}: DescribeTable returned no LatestStreamArn`, { table })
  const viewType = (info.viewType ?? 'KEYS_ONLY') as ViewType
  const loss = viewTypeLoss(viewType)
  if (loss !== undefined && opts.requireFullImages) {
    throw new OpenCDCError('ERR_DDB_STREAM_VIEW_TYPE',
      `table ${table}: the stream's view type is ${viewType}: ${loss}. Switch the stream to NEW_AND_OLD_IMAGES ` +
      '(disable and re-enable it, then take a new snapshot), or set requireFullImages: false to accept this',
      { table, viewType })
  }
  return { streamArn: info.arn, viewType, loss }
}

async function waitEnabled (opts: StreamCheckOptions, describe: () => Promise<{ arn: string | undefined, enabled: boolean, viewType: string | undefined }>): Promise<{ arn: string | undefined, enabled: boolean, viewType: string | undefined }> {
  const deadline = Date.now() + opts.enableStreamTimeout
  for (;;) {
    const info = await describe()
    if (info.enabled && info.arn !== undefined) {
      const out = await opts.streams.send(new DescribeStreamCommand({ StreamArn: info.arn, Limit: 1 }), { abortSignal: opts.signal })
      if (out.StreamDescription?.StreamStatus === 'ENABLED') return info
    }
    if (Date.now() >= deadline) {
      throw new OpenCDCError('ERR_DDB_STREAM_TIMEOUT', `table ${opts.table}: the stream was not ENABLED within ${opts.enableStreamTimeout} ms (enableStreamTimeout)`, { table: opts.table })
    }
    await sleep(opts.pollInterval ?? 1000, opts.signal)
  }
}
