/**
 * True when a query failed on a UNIQUE constraint (a taken slug, say), whichever database said
 * so: SQLite's SQLITE_CONSTRAINT_UNIQUE (or _PRIMARYKEY), PostgreSQL's SQLSTATE 23505.
 * @example catch (err) { if (isUniqueViolation(err)) throw slugTaken(); throw err }
 */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err)) return false
  return err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err.code === '23505'
}

/**
 * True when a query failed on a FOREIGN KEY constraint (a row it refers to deleted meanwhile):
 * SQLite's SQLITE_CONSTRAINT_FOREIGNKEY, PostgreSQL's SQLSTATE 23503.
 */
export function isForeignKeyViolation(err: unknown): boolean {
  return err instanceof Error && 'code' in err && (err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || err.code === '23503')
}
