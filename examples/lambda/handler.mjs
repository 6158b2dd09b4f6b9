// A DynamoDB Streams → DynamoDB copy as an AWS Lambda function (template.yaml deploys it; README.md bundles it).
import { createStreamHandler } from 'dynamodb-opencdc'

// Created once per container, outside the handler: the destination (and its DescribeTable) is reused by every invocation.
export const handler = createStreamHandler({
  destination: {
    table: process.env.DESTINATION_TABLE, // endpoint: DYNAMODB_ENDPOINT when set (tests), else the region's DynamoDB
    concurrency: 4
  },
  // Drop TTL expiries: the copy keeps its own TTL (a transform may return null, one record, or several).
  transforms: [(record) => (record.metadata['dynamodb.ttlDelete'] === 'true' ? null : record)],
  deadlineMarginMs: Number(process.env.DEADLINE_MARGIN_MS ?? 5000)
})
