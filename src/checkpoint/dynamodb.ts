import { CreateTableCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { sleep } from '../aws/clients.js'
import type { CheckpointStore } from './stores.js'
import { OpenCDCError } from '../errors/index.js'

export interface DynamoDBCheckpointStoreOptions {
  client: DynamoDBClient
  /** Table holding checkpoints: partition key `id` (S). */
  table: string
  /** This checkpoint's item id, e.g. the pipeline or connector id. */
  id: string
  /** Create the table (on-demand billing) when it does not exist. */
  createTable?: boolean
}

/**
 * A checkpoint kept as one item of a DynamoDB table. Every save is conditional on the revision this
 * process last loaded or wrote, so two processes sharing a checkpoint id fail loudly instead of
 * overwriting each other's progress.
 */
export class DynamoDBCheckpointStore<T = unknown> implements CheckpointStore<T> {
  readonly table: string
  readonly id: string
  #client: DynamoDBClient
  #createTable: boolean
  #ready: Promise<void> | undefined
  #revision: number | undefined
  #loaded = false
  #chain: Promise<void> = Promise.resolve()

  constructor (opts: DynamoDBCheckpointStoreOptions) {
    this.#client = opts.client
    this.table = opts.table
    this.id = opts.id
    this.#createTable = opts.createTable ?? false
  }

  async load (): Promise<T | undefined> {
    await this.#ensureTable()
    const out = await this.#client.send(new GetItemCommand({ TableName: this.table, Key: { id: { S: this.id } }, ConsistentRead: true }))
    this.#loaded = true
    if (out.Item === undefined) { this.#revision = undefined; return undefined }
    this.#revision = Number(out.Item.rev?.N ?? '0')
    const text = out.Item.doc?.S
    try {
      return JSON.parse(text ?? '') as T
    } catch (err) {
      throw new OpenCDCError('ERR_DDB_CHECKPOINT_CORRUPT', `checkpoint ${this.id} in table ${this.table} is not valid JSON; delete the item to start over`, { table: this.table, id: this.id }, { cause: err })
    }
  }

  save (checkpoint: T): Promise<void> {
    const text = JSON.stringify(checkpoint)
    const next = this.#chain.then(async () => { await this.#put(text) })
    this.#chain = next.catch(() => {})
    return next
  }

  async #put (text: string): Promise<void> {
    await this.#ensureTable()
    if (!this.#loaded) await this.load()
    const expected = this.#revision
    const rev = (expected ?? 0) + 1
    try {
      await this.#client.send(new PutItemCommand({
        TableName: this.table,
        Item: { id: { S: this.id }, doc: { S: text }, rev: { N: String(rev) }, updatedAt: { S: new Date().toISOString() } },
        ...(expected === undefined
          ? { ConditionExpression: 'attribute_not_exists(id)' }
          : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': { N: String(expected) } } })
      }))
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') throw this.#conflict(expected, err)
      throw err
    }
    this.#revision = rev
  }

  #conflict (expected: number | undefined, cause: unknown): OpenCDCError {
    return new OpenCDCError('ERR_DDB_CHECKPOINT_CONFLICT',
      `checkpoint ${this.id} in table ${this.table} was changed by another process (expected ${expected === undefined ? 'no item' : `revision ${expected}`}); ` +
      'two sources must not share a checkpoint id — stop the other one, or give this one its own id',
      { table: this.table, id: this.id, revision: expected }, { cause })
  }

  async clear (): Promise<void> {
    await this.#chain
    await this.#ensureTable()
    try {
      await this.#client.send(new DeleteItemCommand({
        TableName: this.table,
        Key: { id: { S: this.id } },
        ...(this.#loaded && this.#revision !== undefined ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': { N: String(this.#revision) } } } : {})
      }))
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') throw this.#conflict(this.#revision, err)
      throw err
    }
    this.#revision = undefined
    this.#loaded = true
  }

  #ensureTable (): Promise<void> {
    if (!this.#createTable) return Promise.resolve()
    this.#ready ??= this.#create().catch((err) => { this.#ready = undefined; throw err })
    return this.#ready
  }

  async #create (): Promise<void> {
    try {
      await this.#client.send(new CreateTableCommand({
        TableName: this.table,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST'
      }))
    } catch (err) {
      if ((err as Error).name !== 'ResourceInUseException') throw err
    }
    for (let i = 0; i < 120; i++) {
      const out = await this.#client.send(new DescribeTableCommand({ TableName: this.table }))
      if (out.Table?.TableStatus === 'ACTIVE') return
      await sleep(500)
    }
    throw new OpenCDCError('ERR_DDB_CHECKPOINT_TABLE', `checkpoint table ${this.table} did not become ACTIVE within 60 s`, { table: this.table })
  }
}
