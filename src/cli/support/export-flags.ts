import { mergeFlag, usageError } from './args.js'

/** parseArgs options for the export snapshot (read, copy). */
export const EXPORT_OPTIONS = {
  'snapshot-from': { type: 'string' },
  'export-bucket': { type: 'string' },
  'export-prefix': { type: 'string' },
  'export-arn': { type: 'string' }
} as const

export const EXPORT_HELP = `  --snapshot-from S       scan (default) or export: snapshot from a DynamoDB export to S3 (needs
                          point-in-time recovery; no read capacity used; docs/exports.md)
  --export-bucket B       with --snapshot-from export: the S3 bucket AWS writes the export to
  --export-prefix P       key prefix in that bucket (AWS writes P/AWSDynamoDB/<export-id>/)
  --export-arn ARN        read this existing export instead of requesting one (needs --snapshot-only)
`

export interface ExportFlagValues { 'snapshot-from'?: string, 'export-bucket'?: string, 'export-prefix'?: string, 'export-arn'?: string }

/** Merges the export flags into the source settings (a conflict with -s snapshot.export.*=… is a usage error). */
export function applyExportFlags (command: string, settings: Record<string, unknown>, v: ExportFlagValues): void {
  mergeFlag(command, settings, 'snapshotFrom', ['snapshot.from'], v['snapshot-from'], '--snapshot-from')
  mergeFlag(command, settings, 'exportS3Bucket', ['snapshot.export.bucket'], v['export-bucket'], '--export-bucket')
  mergeFlag(command, settings, 'exportS3Prefix', ['snapshot.export.prefix'], v['export-prefix'], '--export-prefix')
  mergeFlag(command, settings, 'exportArn', ['snapshot.export.arn'], v['export-arn'], '--export-arn')
  const from = settings.snapshotFrom ?? settings['snapshot.from']
  const given = (['export-bucket', 'export-prefix', 'export-arn'] as const).find((f) => v[f] !== undefined)
  if (given !== undefined && from !== 'export') throw usageError(command, `--${given} needs --snapshot-from export`)
}
