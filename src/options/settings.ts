import type { CredentialOptions } from '../aws/credentials.js'
import type { OptionSpec } from './options.js'

/** Connection settings shared by source and destination (the seed's aws.* and table). */
export const AWS_SPECS = [
  { name: 'table', setting: 'table', kind: 'string', required: true, doc: 'DynamoDB table name to read from or write to.' },
  { name: 'region', setting: 'aws.region', kind: 'string', doc: 'AWS region; falls back to AWS_REGION, then to us-east-1 when an endpoint is set.' },
  { name: 'accessKeyId', setting: 'aws.accessKeyId', kind: 'string', secret: true, doc: 'Static access key id; without it the default credential chain is used.' },
  { name: 'secretAccessKey', setting: 'aws.secretAccessKey', kind: 'string', secret: true, doc: 'Static secret access key (with aws.accessKeyId).' },
  { name: 'sessionToken', setting: 'aws.sessionToken', kind: 'string', secret: true, doc: 'Temporary session token for static credentials.' },
  { name: 'profile', setting: 'aws.profile', kind: 'string', doc: 'Named profile of the shared AWS files (~/.aws/credentials, ~/.aws/config) to take credentials from; like AWS_PROFILE, but for this side only.' },
  { name: 'assumeRoleArn', setting: 'aws.assumeRoleArn', kind: 'string', doc: 'IAM role to assume (STS AssumeRole, refreshed before expiry) with the credentials above or the default chain.' },
  { name: 'assumeRoleExternalId', setting: 'aws.assumeRoleExternalId', kind: 'string', secret: true, doc: 'External id the role\'s trust policy asks for (with aws.assumeRoleArn).' },
  { name: 'assumeRoleSessionName', setting: 'aws.assumeRoleSessionName', kind: 'string', doc: 'Session name of the assumed role (default dynamodb-opencdc; shows in CloudTrail).' },
  { name: 'endpoint', setting: 'aws.url', kind: 'string', doc: 'Endpoint URL for DynamoDB and DynamoDB Streams (DynamoDB Local, LocalStack); also read from DYNAMODB_ENDPOINT.' },
  { name: 'maxSockets', kind: 'int', min: 1, max: 4096, default: 64, doc: 'Keep-alive sockets per client.' },
  { name: 'maxAttempts', kind: 'int', min: 1, max: 20, default: 3, doc: 'Attempts per AWS call inside the SDK (our own retry budgets come on top).' },
  { name: 'client', kind: 'object', doc: 'A DynamoDBClient to use instead of building one.' },
  { name: 'streamsClient', kind: 'object', doc: 'A DynamoDBStreamsClient to use instead of building one.' },
  { name: 'metrics', kind: 'object', doc: 'A prom-client Registry to record metrics in (optional dependency prom-client; nothing is recorded without it). See docs/operations.md.' }
] as const satisfies readonly OptionSpec[]

/** Record format settings (both sides: the source formats records it prints, Conduit's destinations format what they write). */
export const FORMAT_SPECS = [
  { name: 'recordFormat', setting: 'sdk.record.format', kind: 'string', default: 'opencdc/json', doc: 'Output record format: opencdc/json, debezium/json or template.' },
  { name: 'recordFormatOptions', setting: 'sdk.record.format.options', kind: 'string', default: '', doc: 'Format options: key=value pairs separated by commas, or the Go template for template.' }
] as const satisfies readonly OptionSpec[]

/** Batching settings shared by both sides. */
export const BATCH_SPECS = [
  { name: 'batchSize', setting: 'sdk.batch.size', kind: 'int', min: 0, default: 0, doc: 'Maximum records per batch (0: the natural size — 25 for BatchWriteItem).' },
  { name: 'batchDelay', setting: 'sdk.batch.delay', kind: 'duration', min: 0, default: 0, doc: 'Maximum time a record waits for its batch to fill (0: no wait).' }
] as const satisfies readonly OptionSpec[]

/** The Conduit source connector's own settings. */
export const CONDUIT_SOURCE_SPECS = [
  { name: 'discoveryPollingPeriod', setting: 'discoveryPollingPeriod', kind: 'duration', min: 1, default: 10_000, doc: 'How often CDC looks for new shards.' },
  { name: 'recordsPollingPeriod', setting: 'recordsPollingPeriod', kind: 'duration', min: 1, default: 1_000, doc: 'How long an idle shard waits before it is polled again.' },
  { name: 'skipSnapshot', setting: 'skipSnapshot', kind: 'bool', default: false, doc: 'Skip the snapshot and emit only changes.' },
  ...BATCH_SPECS,
  ...FORMAT_SPECS,
  { name: 'schemaContextEnabled', setting: 'sdk.schema.context.enabled', kind: 'bool', default: true, doc: 'Prefix schema subjects with a context name.' },
  { name: 'schemaContextName', setting: 'sdk.schema.context.name', kind: 'string', default: '', doc: 'Schema context name (default: the connector id).' },
  { name: 'schemaKeyEnabled', setting: 'sdk.schema.extract.key.enabled', kind: 'bool', default: true, doc: 'Extract and encode the key with a schema.' },
  { name: 'schemaKeySubject', setting: 'sdk.schema.extract.key.subject', kind: 'string', default: 'key', doc: 'Subject of the key schema (prefixed by the collection).' },
  { name: 'schemaPayloadEnabled', setting: 'sdk.schema.extract.payload.enabled', kind: 'bool', default: true, doc: 'Extract and encode the payload with a schema.' },
  { name: 'schemaPayloadSubject', setting: 'sdk.schema.extract.payload.subject', kind: 'string', default: 'payload', doc: 'Subject of the payload schema (prefixed by the collection).' },
  { name: 'schemaType', setting: 'sdk.schema.extract.type', kind: 'enum', values: ['avro'], default: 'avro', doc: 'Schema type.' }
] as const satisfies readonly OptionSpec[]

/** The Conduit destination connector's own settings. */
export const CONDUIT_DESTINATION_SPECS = [
  ...BATCH_SPECS,
  { name: 'rateBurst', setting: 'sdk.rate.burst', kind: 'int', min: 0, default: 0, doc: 'Allow bursts of at most this many records (0: no burst limit).' },
  { name: 'ratePerSecond', setting: 'sdk.rate.perSecond', kind: 'number', min: 0, default: 0, doc: 'Maximum records written per second (0: unlimited).' },
  ...FORMAT_SPECS,
  { name: 'schemaKeyEnabled', setting: 'sdk.schema.extract.key.enabled', kind: 'bool', default: true, doc: 'Decode the key with its schema.' },
  { name: 'schemaPayloadEnabled', setting: 'sdk.schema.extract.payload.enabled', kind: 'bool', default: true, doc: 'Decode the payload with its schema.' }
] as const satisfies readonly OptionSpec[]

export interface AwsConnectionOptions extends CredentialOptions {
  table: string
  region?: string
  endpoint?: string
  maxSockets: number
  maxAttempts: number
  client?: object
  streamsClient?: object
  /** A prom-client Registry. */
  metrics?: object
}

/** Markdown rows (setting | option | default | meaning) for the README's settings table. */
export function settingsTable (specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => `| ${s.setting !== undefined ? '`' + s.setting + '`' : ''} | \`${s.name}\` | ${s.default === undefined ? (s.required === true ? 'required' : '') : '`' + JSON.stringify(s.default) + '`'} | ${s.doc} |`)
  return ['| setting | option | default | meaning |', '|---|---|---|---|', ...rows].join('\n')
}
