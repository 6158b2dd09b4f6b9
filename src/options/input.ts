import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import type { CredentialOptions } from '../aws/credentials.js'

/** Conduit settings given verbatim: dotted keys ("snapshot.segments") with string values, as Conduit passes them. */
export interface ConduitSettings { [setting: `${string}.${string}`]: string }

/** Milliseconds, or a Go duration string ("1s", "250ms") as Conduit writes it. */
export type Duration = number | string

/** A boolean, or the string form Conduit passes for the undotted settings (skipSnapshot). */
export type BoolSetting = boolean | 'true' | 'false'

/** Connection options shared by every factory (table separate: a destination's is a route). */
export interface ConnectionInput extends CredentialOptions {
  region?: string
  endpoint?: string
  maxSockets?: number
  maxAttempts?: number
  client?: DynamoDBClient
  streamsClient?: DynamoDBStreamsClient
  /** Node's own: aborting it destroys the stream. */
  signal?: AbortSignal
  /** A prom-client Registry to record metrics in (docs/operations.md). */
  metrics?: object
}
