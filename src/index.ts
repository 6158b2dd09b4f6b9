// The public API: the documented pieces only (docs/api.md lists each; test/unit/api/api.exports.test.ts checks the list).
// Everything else under src/ is internal and may change without notice.

// Streams
export { createSource, DynamoDBSource, type SourcePhase } from './readable/source.js'
export { type SnapshotProgress, type TableInfo } from './readable/snapshot/engine.js'
export { type SourceInput, type SourceOptions } from './readable/options.js'
export { TablesSource, type TableEvent, type TablesSourceEvents } from './readable/tables/source.js'
export { type TablesSourceInput } from './readable/tables/options.js'
export { type TableSelectorInput } from './readable/tables/selector.js'
export { decodeTablePosition } from './readable/tables/position.js'
export { type SourceCheckpoint } from './checkpoint/document.js'
export { type SnapshotCheckpoint } from './readable/snapshot/plan.js'
export { parseWorker, type SnapshotWorker } from './readable/snapshot/worker.js'
export { workersStatus, assertHandoffReady, type WorkersStatus, type WorkerStatus } from './readable/snapshot/status.js'
export { loadWorkersStatus, type WorkerCheckpointSource } from './readable/snapshot/status-load.js'
export { checkStreamRetention, STREAM_RETENTION_MS } from './readable/snapshot/retention.js'
export { createChangeStream, ChangeStream, type ChangeCheckpoint } from './readable/cdc/change-stream.js'
export { type CdcCheckpoint, type StreamDeadLetterHandler } from './readable/cdc/change-reader.js'
export { type ChangeStreamOptions, type ChangeStreamInput } from './readable/cdc/settings.js'
export { type ConduitSettings, type Duration } from './options/input.js'
export { type ReaderEvents, type SourceEvents } from './readable/events.js'
export { type StallRecovery, type StallReport, type StallWork } from './metrics/stall.js'
export { type StreamInfo } from './readable/cdc/stream-check.js'
export { createDestination, DynamoDBDestination, type DestinationStats } from './writable/destination.js'
export { prepareDestinationTable, type PrepareTableOptions, type PreparedTable } from './writable/table-setup.js'
export type { TableRoute } from './writable/route.js'
export { type DestinationInput, type DestinationOptions, type DeadLetterHandler } from './writable/options.js'
export { ackOnWrite } from './readable/ack.js'
export { writeAll } from './writable/write-all.js'
export { createFileSink, type FileSinkOptions } from './sinks/file.js'
export { createStreamHandler, type StreamHandler } from './lambda/handler.js'
export { type StreamHandlerInput, type RecordTransform, type RecordSink, type LambdaDeadLetterHandler } from './lambda/options.js'
export { type LambdaStreamEvent, type LambdaStreamRecord, type LambdaAttributeValue, type LambdaContextLike, type StreamBatchResponse } from './lambda/event.js'

// Transforms
export { format, createSerializer, type FormatOptions, type RecordSerializer, type FormatName, type TemplateFunction } from './transforms/index.js'
export { parseJSONL, recordFromJSON, type JSONLParseOptions, type BadLine, type OpenCDCJSONOptions, type OpenCDCParseOptions } from './transforms/index.js'
export { createAvroEncoder, createAvroDecoder, InMemorySchemaRegistry, ConfluentSchemaRegistry, type AvroEncoderOptions, type AvroDecoderOptions, type SchemaRegistry, type RegisteredSchema, type ConfluentRegistryOptions } from './transforms/index.js'
export { batch, unbatch, type BatchOptions } from './transforms/index.js'

// Inputs: scan output, DynamoDB exports
export { parseDynamoDBJSON, type DynamoDBJSONParseOptions, type BadInput } from './inputs/parse.js'
export { type InputKind } from './inputs/detect.js'
export { readExport, type ReadExportOptions } from './inputs/read-export.js'
export { decodeInputPosition, type InputPosition } from './inputs/position.js'

// Records and values
export { createRecord, PreciseNumber, isPreciseNumber, META_COLLECTION, META_READ_AT, META_CREATED_AT, type OpenCDCRecord, type RecordInit, type Operation, type Data, type StructuredData, type Value } from './model/record.js'
export { META_EVENT_ID, META_SEQUENCE_NUMBER, META_SHARD_ID, META_TTL_DELETE } from './readable/cdc/convert.js'
export { toAttributeMap, fromAttributeMap, type AttributeMap } from './model/codec.js'
export { stringifyValue, parseJSONLossless } from './model/json-value.js'
export { toDynamoJSON, fromDynamoJSON } from './model/dynamodb-json.js'
export { positionKind, decodeSnapshotPosition, type SnapshotPosition } from './readable/snapshot/position.js'
export { decodeCdcPosition, type CdcPosition } from './readable/cdc/position.js'

// Checkpoints, clients, errors
export { MemoryCheckpointStore, FileCheckpointStore, type CheckpointStore } from './checkpoint/stores.js'
export { DynamoDBCheckpointStore, type DynamoDBCheckpointStoreOptions } from './checkpoint/dynamodb.js'
export { createDynamoDBClient, createStreamsClient } from './aws/clients.js'
export { OpenCDCError, isOpenCDCError, ERRORS, type ErrorCode, type ErrorInfo } from './errors/index.js'
