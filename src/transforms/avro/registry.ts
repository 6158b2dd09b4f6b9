import { OpenCDCError } from '../../errors/index.js'

export interface RegisteredSchema { subject: string, version: number, id: number, schema: string }

/** Where schemas live: register returns the existing version when the subject already has this schema. */
export interface SchemaRegistry {
  register: (subject: string, schema: string) => Promise<RegisteredSchema>
  get: (subject: string, version: number) => Promise<RegisteredSchema>
}

function notFound (what: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_SCHEMA_NOT_FOUND', `schema registry: ${what} not found`)
}

/** The default registry: process memory; ids are global and shared by identical schemas, like Confluent's. */
export class InMemorySchemaRegistry implements SchemaRegistry {
  #subjects = new Map<string, RegisteredSchema[]>()
  #ids = new Map<string, number>()
  #byId = new Map<number, string>()

  async register (subject: string, schema: string): Promise<RegisteredSchema> {
    const versions = this.#subjects.get(subject) ?? []
    const existing = versions.find((v) => v.schema === schema)
    if (existing !== undefined) return existing
    let id = this.#ids.get(schema)
    if (id === undefined) {
      id = this.#ids.size + 1
      this.#ids.set(schema, id)
      this.#byId.set(id, schema)
    }
    const entry = { subject, version: versions.length + 1, id, schema }
    versions.push(entry)
    this.#subjects.set(subject, versions)
    return entry
  }

  async get (subject: string, version: number): Promise<RegisteredSchema> {
    const found = this.#subjects.get(subject)?.[version - 1]
    if (found === undefined) throw notFound(`subject ${JSON.stringify(subject)} version ${version}`)
    return found
  }

  async getById (id: number): Promise<string> {
    const found = this.#byId.get(id)
    if (found === undefined) throw notFound(`schema id ${id}`)
    return found
  }

  /** Subjects and their version counts (for tests and debugging). */
  subjects (): Record<string, number> {
    return Object.fromEntries([...this.#subjects].map(([s, v]) => [s, v.length]))
  }
}

export interface ConfluentRegistryOptions {
  /** Base URL, e.g. http://localhost:8081 */
  url: string
  /** Extra headers (Authorization…); never echoed in errors. */
  headers?: Record<string, string>
  /** Per-request timeout in ms (default 10 s). */
  timeoutMs?: number
  fetch?: typeof fetch
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

/**
 * Client for the Confluent Schema Registry REST API (POST /subjects/{s}/versions, POST /subjects/{s},
 * GET /subjects/{s}/versions/{v}, GET /schemas/ids/{id}) over fetch. Registered schemas and fetched
 * versions are cached; concurrent identical requests share one call.
 */
export class ConfluentSchemaRegistry implements SchemaRegistry {
  #base: string
  #headers: Record<string, string>
  #timeoutMs: number
  #fetch: typeof fetch
  #registered = new Map<string, Promise<RegisteredSchema>>()
  #versions = new Map<string, Promise<RegisteredSchema>>()
  #byId = new Map<number, Promise<string>>()

  constructor (options: ConfluentRegistryOptions) {
    if (typeof options?.url !== 'string' || !/^https?:\/\//.test(options.url)) {
      throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `schema registry url: expected an http(s) URL, got ${JSON.stringify(options?.url)}`, { option: 'url' })
    }
    this.#base = options.url.replace(/\/+$/, '')
    this.#headers = { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE, ...options.headers }
    this.#timeoutMs = options.timeoutMs ?? 10_000
    this.#fetch = options.fetch ?? globalThis.fetch
  }

  async #call (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const url = this.#base + path
    let res: Response
    try {
      res = await this.#fetch(url, { method, headers: this.#headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.#timeoutMs) })
    } catch (err) {
      throw new OpenCDCError('ERR_DDB_SCHEMA_REGISTRY', `schema registry: ${method} ${path} failed: ${(err as Error).message}`, { method, path }, { cause: err })
    }
    const text = await res.text()
    let json: Record<string, unknown> = {}
    try { json = text === '' ? {} : JSON.parse(text) as Record<string, unknown> } catch {}
    if (!res.ok) {
      const code = res.status === 404 ? 'ERR_DDB_SCHEMA_NOT_FOUND' : 'ERR_DDB_SCHEMA_REGISTRY'
      const reason = typeof json.message === 'string' ? json.message : text.slice(0, 200)
      throw new OpenCDCError(code, `schema registry: ${method} ${path} answered ${res.status}${json.error_code !== undefined ? ` (error_code ${String(json.error_code)})` : ''}: ${reason}`, { method, path, status: res.status, errorCode: json.error_code })
    }
    return json
  }

  #once<K, V> (cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    let p = cache.get(key)
    if (p === undefined) {
      p = load()
      if (cache.size >= 2000) cache.delete(cache.keys().next().value as K)
      cache.set(key, p)
      p.catch(() => cache.delete(key))
    }
    return p
  }

  register (subject: string, schema: string): Promise<RegisteredSchema> {
    return this.#once(this.#registered, `${subject}\0${schema}`, async () => {
      const s = encodeURIComponent(subject)
      const created = await this.#call('POST', `/subjects/${s}/versions`, { schema })
      const id = Number(created.id)
      // Older registries answer only {id}; the lookup endpoint gives the version.
      const version = typeof created.version === 'number' ? created.version : Number((await this.#call('POST', `/subjects/${s}`, { schema })).version)
      const entry = { subject, version, id, schema }
      this.#versions.set(`${subject}\0${version}`, Promise.resolve(entry))
      return entry
    })
  }

  get (subject: string, version: number): Promise<RegisteredSchema> {
    return this.#once(this.#versions, `${subject}\0${version}`, async () => {
      const json = await this.#call('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`)
      return { subject, version: Number(json.version ?? version), id: Number(json.id), schema: String(json.schema) }
    })
  }

  getById (id: number): Promise<string> {
    return this.#once(this.#byId, id, async () => String((await this.#call('GET', `/schemas/ids/${id}`)).schema))
  }
}
