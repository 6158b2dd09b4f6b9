/*
 * The shapes AWS Lambda hands a DynamoDB Streams function, declared here rather than imported from
 * @types/aws-lambda so users of the package need not install it: they are structurally the same
 * (test/unit/lambda/lambda.types.test.ts assigns ours to and from @types/aws-lambda's under tsc).
 */

/** A DynamoDB JSON value as Lambda delivers it: B and BS members are base64 text. */
export interface LambdaAttributeValue {
  B?: string | undefined
  BOOL?: boolean | undefined
  BS?: string[] | undefined
  L?: LambdaAttributeValue[] | undefined
  M?: Record<string, LambdaAttributeValue> | undefined
  N?: string | undefined
  NS?: string[] | undefined
  NULL?: boolean | undefined
  S?: string | undefined
  SS?: string[] | undefined
}

export interface LambdaStreamRecordData {
  /** Epoch SECONDS, a number (GetRecords gives a Date). */
  ApproximateCreationDateTime?: number | undefined
  Keys?: Record<string, LambdaAttributeValue> | undefined
  NewImage?: Record<string, LambdaAttributeValue> | undefined
  OldImage?: Record<string, LambdaAttributeValue> | undefined
  SequenceNumber?: string | undefined
  SizeBytes?: number | undefined
  StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | undefined
}

/** One record of a DynamoDB Streams event (@types/aws-lambda's DynamoDBRecord). */
export interface LambdaStreamRecord {
  awsRegion?: string | undefined
  dynamodb?: LambdaStreamRecordData | undefined
  eventID?: string | undefined
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' | undefined
  eventSource?: string | undefined
  /** arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL — the only place the table is named. */
  eventSourceARN?: string | undefined
  eventVersion?: string | undefined
  /** TTL deletes: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } (lower-case, unlike GetRecords). */
  userIdentity?: any
}

/** What the event source mapping invokes the function with (@types/aws-lambda's DynamoDBStreamEvent). */
export interface LambdaStreamEvent {
  Records: LambdaStreamRecord[]
}

/** The part of Lambda's Context the handler uses. */
export interface LambdaContextLike {
  getRemainingTimeInMillis: () => number
}

/** The answer for FunctionResponseTypes: [ReportBatchItemFailures] (@types/aws-lambda's DynamoDBBatchResponse). */
export interface StreamBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>
}
