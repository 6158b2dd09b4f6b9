import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'

/** Conduit settings given verbatim to a transform: dotted keys ("sdk.record.format") with string values, as Conduit passes them. */
export interface ConduitSettings { [setting: `${string}.${string}`]: string }

/** Milliseconds, or a Go duration string ("1s", "250ms") as Conduit writes it. */
export type Duration = number | string

/** The connection options whose types a spec cannot carry (the rest is derived from AWS_SPECS), and Node's signal. */
export interface ConnectionExactInput {
  client?: DynamoDBClient
  streamsClient?: DynamoDBStreamsClient
  /** Node's own: aborting it destroys the stream. */
  signal?: AbortSignal
  /** A prom-client Registry to record metrics in (docs/operations.md). */
  metrics?: object
}
