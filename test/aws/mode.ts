/** When `npm run test:aws` talks to real DynamoDB, and why not otherwise (one sentence, printed as the skip reason). */
export function realAwsMode (env: NodeJS.ProcessEnv = process.env): { run: boolean, endpoint?: string, why: string } {
  if (env.DYNAMODB_OPENCDC_REAL_AWS !== '1') return { run: false, why: 'real-AWS tests skipped: set DYNAMODB_OPENCDC_REAL_AWS=1 with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION (they create and delete on-demand tables) and run npm run test:aws' }
  // DYNAMODB_ENDPOINT points the same harness at DynamoDB Local, so naming and cleanup are exercised without an account.
  if (env.DYNAMODB_ENDPOINT !== undefined && env.DYNAMODB_ENDPOINT !== '') return { run: true, endpoint: env.DYNAMODB_ENDPOINT, why: `against ${env.DYNAMODB_ENDPOINT} (DYNAMODB_ENDPOINT), not real AWS` }
  const missing = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'].filter((k) => (env[k] ?? '') === '')
  if (missing.length > 0) return { run: false, why: `real-AWS tests skipped: DYNAMODB_OPENCDC_REAL_AWS=1 but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set` }
  return { run: true, why: `against real DynamoDB in ${String(env.AWS_REGION)}` }
}
