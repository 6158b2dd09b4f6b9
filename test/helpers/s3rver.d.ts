// s3rver ships no types; the few members test/helpers/s3.ts uses.
declare module 's3rver' {
  export default class S3rver {
    constructor (options: { port: number, address: string, directory: string, silent: boolean, configureBuckets?: Array<{ name: string }> })
    run (): Promise<{ port: number }>
    close (): Promise<void>
  }
}
