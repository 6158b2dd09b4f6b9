import { CreateBucketCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'

export interface TestS3 {
  endpoint: string
  /** Client settings for this server (path-style, any credentials). */
  config: S3ClientConfig
  client: S3Client
  createBucket: (name: string) => Promise<string>
  put: (bucket: string, key: string, body: Buffer | string) => Promise<void>
}

interface Teardown { teardown: (fn: () => unknown) => void }

/** A real S3-compatible server (s3rver) for one test file, on a free loopback port, stopped at teardown. */
export async function useS3 (t: Teardown): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'))
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  const config: S3ClientConfig = { endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
  const client = new S3Client(config)
  t.teardown(async () => {
    client.destroy()
    await server.close()
    rmSync(directory, { recursive: true, force: true })
  })
  return {
    endpoint,
    config,
    client,
    createBucket: async (name) => { await client.send(new CreateBucketCommand({ Bucket: name })); return name },
    put: async (bucket, key, body) => { await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })) }
  }
}
