import t from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createDynamoDBClient, createStreamsClient } from '../../../src/aws/clients.js'
import { assumeRoleOptions, credentialPlan, DEFAULT_SESSION_NAME } from '../../../src/aws/credentials.js'
import { isOpenCDCError } from '../../../src/errors/index.js'

// A temporary HOME with two profiles; no credentials from the environment leak in.
const home = t.testdir()
mkdirSync(path.join(home, '.aws'))
const KEYS = { source: ['AKIASOURCE0000000001', 'source-secret-value'], dest: ['AKIADEST000000000002', 'dest-secret-value'] }
writeFileSync(path.join(home, '.aws', 'credentials'), `[src]\naws_access_key_id = ${KEYS.source[0]}\naws_secret_access_key = ${KEYS.source[1]}\n\n[default]\naws_access_key_id = AKIADEFAULT000000003\naws_secret_access_key = default-secret\n`)
writeFileSync(path.join(home, '.aws', 'config'), `[profile dst]\naws_access_key_id = ${KEYS.dest[0]}\naws_secret_access_key = ${KEYS.dest[1]}\n`)
for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'DYNAMODB_ENDPOINT']) delete process.env[k]
process.env.HOME = home
process.env.USERPROFILE = home

// Compared as booleans so a failure never prints a secret.
async function resolvesTo (client: { config: { credentials: () => Promise<{ accessKeyId: string, secretAccessKey: string }> } }, want: string[]): Promise<boolean> {
  const c = await client.config.credentials()
  return c.accessKeyId === want[0] && c.secretAccessKey === want[1]
}

t.test('aws.profile selects that profile\'s keys, per client: credentials file and config file profiles', async (t) => {
  const source = createDynamoDBClient({ region: 'us-east-1', profile: 'src' })
  const streams = createStreamsClient({ region: 'us-east-1', profile: 'src' })
  const dest = createDynamoDBClient({ region: 'eu-west-1', profile: 'dst' })
  t.teardown(() => { source.destroy(); streams.destroy(); dest.destroy() })
  t.ok(await resolvesTo(source as never, KEYS.source), 'source side: profile src')
  t.ok(await resolvesTo(streams as never, KEYS.source), 'its streams client too')
  t.ok(await resolvesTo(dest as never, KEYS.dest), 'destination side: profile dst (from ~/.aws/config)')
})

t.test('a profile beats the loopback dummy keys; without one, a loopback endpoint still gets them', async (t) => {
  const withProfile = createDynamoDBClient({ endpoint: 'http://127.0.0.1:1', profile: 'dst' })
  const bare = createDynamoDBClient({ endpoint: 'http://127.0.0.1:1' })
  t.teardown(() => { withProfile.destroy(); bare.destroy() })
  t.ok(await resolvesTo(withProfile as never, KEYS.dest))
  t.ok(await resolvesTo(bare as never, ['local', 'local']))
})

t.test('a missing profile fails when credentials are resolved, naming the profile', async (t) => {
  const c = createDynamoDBClient({ region: 'us-east-1', profile: 'nope' })
  t.teardown(() => c.destroy())
  await t.rejects(c.config.credentials(), /nope/)
})

t.test('assumeRoleArn: the plan wires STS AssumeRole over the base credentials of the side', async (t) => {
  const ctx = { region: 'eu-west-1', loopback: false, env: {} }
  const plan = credentialPlan({ profile: 'src', assumeRoleArn: 'arn:aws:iam::123456789012:role/copy', assumeRoleExternalId: 'ext-1', assumeRoleSessionName: 'nightly' }, ctx)
  t.same(plan, { kind: 'assumeRole', params: { RoleArn: 'arn:aws:iam::123456789012:role/copy', RoleSessionName: 'nightly', ExternalId: 'ext-1' }, base: { kind: 'profile', profile: 'src' }, region: 'eu-west-1' })
  if (plan.kind !== 'assumeRole') return
  const opts = assumeRoleOptions(plan)
  t.same(opts.params, plan.params)
  t.same(opts.clientConfig, { region: 'eu-west-1' }, 'STS is called in the side\'s region')
  t.type(opts.masterCredentials, 'function', 'the profile signs the AssumeRole call')
  t.ok(await resolvesTo({ config: { credentials: opts.masterCredentials as never } }, KEYS.source), 'and it is the src profile')
  const chain = credentialPlan({ assumeRoleArn: 'arn:aws:iam::1:role/r' }, ctx)
  t.same(chain, { kind: 'assumeRole', params: { RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: DEFAULT_SESSION_NAME }, base: { kind: 'chain' }, region: 'eu-west-1' })
  if (chain.kind === 'assumeRole') t.notOk('masterCredentials' in assumeRoleOptions(chain), 'no base given: the SDK default chain signs it')
  const fixed = credentialPlan({ accessKeyId: 'AKIAX', secretAccessKey: 'y', assumeRoleArn: 'arn:aws:iam::1:role/r' }, ctx)
  if (fixed.kind === 'assumeRole') t.same(assumeRoleOptions(fixed).masterCredentials, { accessKeyId: 'AKIAX', secretAccessKey: 'y' })
})

t.test('credential settings that cannot work are refused up front', async (t) => {
  const ctx = { region: 'us-east-1', loopback: false, env: {} }
  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [{ accessKeyId: 'a' }, 'ERR_DDB_MISSING_OPTION', /aws.secretAccessKey: static credentials need both/],
    [{ accessKeyId: 'a', secretAccessKey: 'b', profile: 'p' }, 'ERR_DDB_INVALID_OPTION', /aws.profile: give a profile or static keys/],
    [{ assumeRoleExternalId: 'x' }, 'ERR_DDB_MISSING_OPTION', /aws.assumeRoleArn: aws.assumeRoleExternalId needs the role/],
    [{ assumeRoleSessionName: 'x' }, 'ERR_DDB_MISSING_OPTION', /aws.assumeRoleSessionName needs the role/]
  ]
  for (const [opts, code, re] of cases) {
    try {
      credentialPlan(opts, ctx)
      t.fail('expected a throw')
    } catch (err) {
      t.ok(isOpenCDCError(err, code as 'ERR_DDB_MISSING_OPTION'), code)
      t.match((err as Error).message, re)
    }
  }
})
