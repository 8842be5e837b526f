/** Node's codes for a connection that could not be made or was cut. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
/**
 * PostgreSQL's: the server shutting down or starting (57P01–57P03), a connection exception (class
 * 08), no connection to be had (53300: its `max_connections` or the role's limit reached, as in a
 * rolling deploy with more hosts than planned), a statement it ended past its
 * `statement_timeout` (57014: DATABASE_QUERY_TIMEOUT_MS, a lock held elsewhere), the disk full
 * (53100), or a write refused as the server is read-only just now (25006: a standby reached after
 * a failover, `default_transaction_read_only` set for maintenance).
 */
const POSTGRES_CODES = /^(08...|57P0[123]|53300|57014|53100|25006)$/
/**
 * SQLite's: the file locked by another process past the busy timeout (a bulk command writing to
 * a live database, an operator's sqlite3 shell holding a write), or locked in its shared memory;
 * the disk full (PostgreSQL's 53100 too), an I/O error, the file made read-only: the store's
 * storage, not the request, and it serves again once the operator has freed it.
 */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY)(_|$)/
/** pg's own, which carry no code: a connection cut mid-query, none free in time, or a query unanswered in time (a silent network). */
const POOL_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|^Query read timeout$/

/**
 * True when an error says the database cannot be reached just now (down, restarting, the network
 * cut, SQLite's file locked by another process), not that a query was wrong: the request answers 503 and the next one may succeed, since
 * the pool opens a new connection by itself when the server is back.
 * @example if (isDatabaseUnavailable(err)) return c.json(…, 503)
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let cause = err, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_CODES.test(code) || SQLITE_CODES.test(code))) return true
    if (POOL_MESSAGES.test(cause.message)) return true
  }
  return false
}
