/** A row of a bulk load (insertMany): its values by column. */
export type BulkRow = Record<string, string | number | null>

/**
 * Refuses a row whose keys are not `columns` (the first row's), in the same order: a bulk load
 * sends values by position, so they would land in the wrong columns.
 */
export function assertColumns(row: BulkRow, columns: readonly string[], table: string): void {
  const keys = Object.keys(row)
  if (keys.length !== columns.length || keys.some((key, i) => key !== columns[i]))
    throw new Error(`insertMany: rows of ${table} must all have the same keys in the same order`)
}
