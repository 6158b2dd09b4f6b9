import type { S3ClientConfig } from '@aws-sdk/client-s3'
import { createReadStream, statSync } from 'node:fs'
import { pipeline, type Readable } from 'node:stream'
import { INPUT_KINDS, type InputKind } from '../../inputs/detect.js'
import { parseDynamoDBJSON } from '../../inputs/parse.js'
import { describeInputPosition } from '../../inputs/position.js'
import { readExport } from '../../inputs/read-export.js'
import { takeSetting, usageError } from '../support/args.js'
import { BAD_LINE, type BadLineMark } from '../support/connectors.js'
import { takeS3Config } from '../support/export-flags.js'

export interface InputChoice {
  kind: InputKind
  dynamodbJson: boolean
  typeHints: boolean
  s3: S3ClientConfig
}

/** --input-format / -s input.format, and -s s3.endpoint / s3.region for exports in S3, taken out of the destination's settings. */
export function inputOptions (settings: Record<string, unknown>, flag: string | undefined, parsed: { dynamodbJson: boolean, typeHints: boolean }): InputChoice {
  const setting = takeSetting(settings, 'input.format', 'inputFormat')
  if (setting !== undefined && flag !== undefined) throw usageError('write', '--input-format and -s input.format=… set the same option; give only one')
  const kind = String(flag ?? setting ?? 'auto')
  if (!(INPUT_KINDS as readonly string[]).includes(kind)) throw usageError('write', `--input-format must be one of ${INPUT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`)
  const s3 = takeS3Config(settings)
  return { kind: kind as InputKind, dynamodbJson: parsed.dynamodbJson, typeHints: parsed.typeHints, s3 }
}

/** A whole export (a folder with manifest-files.json, or s3://…) → its records; otherwise bytes from stdin or a file → parseDynamoDBJSON, bad lines kept in place as marks. */
export function openInput (path: string, o: InputChoice): { input?: Readable, parser: Readable } {
  if (path.startsWith('s3://') || statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
    if (o.kind !== 'auto' && o.kind !== 'export') throw usageError('write', `--input ${path} is a whole DynamoDB export; --input-format must be export or auto, got ${o.kind}`)
    return { parser: readExport(path, { s3: o.s3 }) }
  }
  const input = path === '-' ? process.stdin : createReadStream(path)
  const parser = parseDynamoDBJSON({
    kind: o.kind,
    file: path,
    dynamodbJson: o.dynamodbJson,
    typeHints: o.typeHints,
    deadLetter: (error, where): BadLineMark => ({ [BAD_LINE]: { error, where: { line: where.line ?? 0, text: where.text ?? describeInputPosition(where) } } })
  })
  pipeline(input, parser, () => {})
  return { input, parser }
}
