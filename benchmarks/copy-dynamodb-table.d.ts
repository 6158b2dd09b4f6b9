// copy-dynamodb-table ships no types: the one call the peer benchmark makes.
declare module 'copy-dynamodb-table' {
  const copyTable: {
    copy: (values: Record<string, unknown>, done: (err: Error | null, result: { count: number, status: string }) => void) => void
  }
  export default copyTable
}
