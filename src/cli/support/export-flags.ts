import { usageError } from './args.js'
import type { Flag } from './flags.js'

/** --snapshot-from and the export flags (read, copy): the source's snapshot.from / snapshot.export.* options. */
export const EXPORT_FLAGS: readonly Flag[] = [
  { name: 'snapshot-from', value: 'S', option: 'snapshotFrom', help: 'scan (default) or export: snapshot from a DynamoDB export to S3 (needs\npoint-in-time recovery; no read capacity used; docs/exports.md)' },
  { name: 'export-bucket', value: 'B', option: 'exportS3Bucket', help: 'with --snapshot-from export: the S3 bucket AWS writes the export to' },
  { name: 'export-prefix', value: 'P', option: 'exportS3Prefix', help: 'key prefix in that bucket (AWS writes P/AWSDynamoDB/<export-id>/)' },
  { name: 'export-arn', value: 'ARN', option: 'exportArn', help: 'read this existing export instead of requesting one (needs --snapshot-only)' }
]

/** An export flag without --snapshot-from export (or -s snapshot.from=export) is a usage error: it would be ignored. */
export function checkExportFlags (command: string, settings: Record<string, unknown>, values: object): void {
  const v = values as Record<string, unknown>
  const from = settings.snapshotFrom ?? settings['snapshot.from']
  const given = ['export-bucket', 'export-prefix', 'export-arn'].find((f) => v[f] !== undefined)
  if (given !== undefined && from !== 'export') throw usageError(command, `--${given} needs --snapshot-from export`)
}
