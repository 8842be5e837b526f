const errorTextMax = 2_000

/** Several processes polling one SQLite file: losing the race for the write lock means "nothing this time". */
export function nothingWhenBusy(error: unknown): undefined {
  if (isBusy(error)) return undefined
  throw error
}

/** SQLITE_BUSY and its variants (SQLITE_BUSY_SNAPSHOT…): another connection holds the lock. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}

/** What `last_error` keeps: the message, bounded so a huge one cannot bloat the row. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error)
  return text.length > errorTextMax ? `${text.slice(0, errorTextMax)}…` : text
}
