import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { OpenCDCError } from '../errors/index.js'

/** Credential settings of one side (aws.* settings). */
export interface CredentialOptions {
  accessKeyId?: string
  secretAccessKey?: string
  sessionToken?: string
  profile?: string
  assumeRoleArn?: string
  assumeRoleExternalId?: string
  assumeRoleSessionName?: string
}

export type BaseCredentials =
  | { kind: 'static', accessKeyId: string, secretAccessKey: string, sessionToken?: string }
  | { kind: 'profile', profile: string }
  /** The SDK's default chain (environment, shared files with AWS_PROFILE, SSO, web identity, container, instance). */
  | { kind: 'chain' }

/** Which credentials a client uses, decided without any I/O (so it can be tested as is). */
export type CredentialPlan =
  | BaseCredentials
  /** DynamoDB Local accepts any keys; a fresh machine has none for the default chain to find. */
  | { kind: 'local' }
  | { kind: 'assumeRole', params: { RoleArn: string, RoleSessionName: string, ExternalId?: string }, base: BaseCredentials, region: string }

/** What a client's `credentials` takes: fixed keys or a provider. */
export type ClientCredentials = NonNullable<DynamoDBClientConfig['credentials']>

export const DEFAULT_SESSION_NAME = 'dynamodb-opencdc'

export interface PlanContext {
  region: string
  /** True when the endpoint is a loopback address (DynamoDB Local). */
  loopback: boolean
  env: NodeJS.ProcessEnv
}

function missing (option: string, message: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_MISSING_OPTION', `${option}: ${message}`, { option })
}

/** The one place credential settings are checked and turned into a plan. */
export function credentialPlan (opts: CredentialOptions, ctx: PlanContext): CredentialPlan {
  if ((opts.accessKeyId === undefined) !== (opts.secretAccessKey === undefined)) {
    const absent = opts.accessKeyId === undefined ? 'aws.accessKeyId' : 'aws.secretAccessKey'
    throw missing(absent, 'static credentials need both aws.accessKeyId and aws.secretAccessKey')
  }
  if (opts.accessKeyId !== undefined && opts.profile !== undefined) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'aws.profile: give a profile or static keys (aws.accessKeyId), not both', { option: 'aws.profile' })
  }
  if (opts.assumeRoleArn === undefined) {
    for (const [option, value] of [['aws.assumeRoleExternalId', opts.assumeRoleExternalId], ['aws.assumeRoleSessionName', opts.assumeRoleSessionName]] as const) {
      if (value !== undefined) throw missing('aws.assumeRoleArn', `${option} needs the role to assume (aws.assumeRoleArn)`)
    }
  }
  const base: BaseCredentials = opts.accessKeyId !== undefined && opts.secretAccessKey !== undefined
    ? { kind: 'static', accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey, ...(opts.sessionToken !== undefined ? { sessionToken: opts.sessionToken } : {}) }
    : opts.profile !== undefined ? { kind: 'profile', profile: opts.profile } : { kind: 'chain' }
  if (opts.assumeRoleArn !== undefined) {
    const params = {
      RoleArn: opts.assumeRoleArn,
      RoleSessionName: opts.assumeRoleSessionName ?? DEFAULT_SESSION_NAME,
      ...(opts.assumeRoleExternalId !== undefined ? { ExternalId: opts.assumeRoleExternalId } : {})
    }
    return { kind: 'assumeRole', params, base, region: ctx.region }
  }
  if (base.kind === 'chain' && ctx.loopback && ctx.env.AWS_ACCESS_KEY_ID === undefined && ctx.env.AWS_PROFILE === undefined) return { kind: 'local' }
  return base
}

function baseProvider (base: BaseCredentials): ClientCredentials | undefined {
  if (base.kind === 'static') return { accessKeyId: base.accessKeyId, secretAccessKey: base.secretAccessKey, ...(base.sessionToken !== undefined ? { sessionToken: base.sessionToken } : {}) }
  if (base.kind === 'profile') return fromIni({ profile: base.profile })
  return undefined
}

/** The options handed to fromTemporaryCredentials for an assumeRole plan (pure: the wiring, testable without STS). */
export function assumeRoleOptions (plan: Extract<CredentialPlan, { kind: 'assumeRole' }>): Parameters<typeof fromTemporaryCredentials>[0] {
  const master = baseProvider(plan.base)
  return { params: { ...plan.params }, ...(master !== undefined ? { masterCredentials: master } : {}), clientConfig: { region: plan.region } }
}

/** The plan as the client's `credentials` (undefined: the SDK's default chain). The only AWS-facing part. */
export function credentialsOf (plan: CredentialPlan): ClientCredentials | undefined {
  if (plan.kind === 'local') return { accessKeyId: 'local', secretAccessKey: 'local' }
  // STS through the SDK's provider: refreshed before expiry, the base credentials sign the AssumeRole call.
  if (plan.kind === 'assumeRole') return fromTemporaryCredentials(assumeRoleOptions(plan))
  return baseProvider(plan)
}
