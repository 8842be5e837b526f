import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from './database-unavailable.ts'

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code })

describe('isDatabaseUnavailable', () => {
  it('is true for a database that is down, restarting or cut off, also as the cause of another error', () => {
    for (const err of [
      withCode('ECONNREFUSED'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('57P03', 'the database system is starting up'),
      withCode('08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'), // a query on a silent connection (DATABASE_QUERY_TIMEOUT_MS)
      withCode('53300', 'sorry, too many clients already'), // max_connections, or the role's limit
      withCode('57014', 'canceling statement due to statement timeout'), // DATABASE_QUERY_TIMEOUT_MS
      withCode('SQLITE_BUSY', 'database is locked'), // another process writing past the busy timeout
      withCode('SQLITE_BUSY_SNAPSHOT'),
      withCode('SQLITE_LOCKED'),
      withCode('SQLITE_FULL', 'database or disk is full'),
      withCode('SQLITE_IOERR_WRITE', 'disk I/O error'),
      withCode('SQLITE_READONLY', 'attempt to write a readonly database'),
      withCode('53100', 'could not extend file: No space left on device'),
      withCode('25006', 'cannot execute INSERT in a read-only transaction'), // a standby after a failover
    ]) {
      expect(isDatabaseUnavailable(err)).toBe(true)
      expect(isDatabaseUnavailable(new Error('Migration x failed', { cause: err }))).toBe(true)
    }
  })

  it('is false for a wrong query, a broken constraint, or anything else', () => {
    for (const err of [
      withCode('42P01', 'relation "x" does not exist'),
      withCode('23505', 'duplicate key'),
      withCode('SQLITE_CONSTRAINT_UNIQUE'),
      new Error('boom'),
      'not an error',
      undefined,
    ])
      expect(isDatabaseUnavailable(err)).toBe(false)
  })
})
