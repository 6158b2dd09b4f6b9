import type { S3ClientConfig } from '@aws-sdk/client-s3'
import { takeSetting, usageError } from './args.js'
import type { Flag } from './flags.js'

/** --snapshot-from and the export flags (read, copy): the source's snapshot.from / snapshot.export.* options. */
export const EXPORT_FLAGS: readonly Flag[] = [
  { name: 'snapshot-from', value: 'S', option: 'snapshotFrom', help: 'scan (default) or export: snapshot from a DynamoDB export to S3 (needs\npoint-in-time recovery; no read capacity used; docs/exports.md)' },
  { name: 'export-bucket', value: 'B', option: 'exportS3Bucket', help: 'with --snapshot-from export: the S3 bucket AWS writes the export to' },
  { name: 'export-prefix', value: 'P', option: 'exportS3Prefix', help: 'key prefix in that bucket (AWS writes P/AWSDynamoDB/<export-id>/)' },
  { name: 'export-arn', value: 'ARN', option: 'exportArn', help: 'read this existing export instead of requesting one (needs --snapshot-only)' },
  { name: 'from-export', value: 'URL', option: 'exportUrl', help: 'snapshot from this existing export, no export API call: its folder or\ns3://bucket/prefix/AWSDynamoDB/<export-id>/ (needs --snapshot-only;\n-s s3.endpoint=URL for an S3-compatible server)' }
]

/** -s s3.endpoint / s3.region taken out of the settings → the S3 client config exports are read with. */
export function takeS3Config (settings: Record<string, unknown>): S3ClientConfig {
  const endpoint = takeSetting(settings, 's3.endpoint', 's3Endpoint')
  const region = takeSetting(settings, 's3.region', 's3Region') ?? settings.region ?? settings['aws.region']
  // An S3-compatible server (s3rver, MinIO) answers path-style requests only.
  return { ...(endpoint !== undefined ? { endpoint: String(endpoint), forcePathStyle: true } : {}), ...(region !== undefined ? { region: String(region) } : {}) }
}

/** An export flag without --snapshot-from export (or -s snapshot.from=export) is a usage error: it would be ignored. */
export function checkExportFlags (command: string, settings: Record<string, unknown>, values: object): void {
  const v = values as Record<string, unknown>
  const from = settings.snapshotFrom ?? settings['snapshot.from']
  const given = ['export-bucket', 'export-prefix', 'export-arn'].find((f) => v[f] !== undefined)
  if (given !== undefined && from !== 'export') throw usageError(command, `--${given} needs --snapshot-from export`)
  const s3 = takeS3Config(settings)
  if (s3.endpoint !== undefined) settings.exportS3 = s3
}
