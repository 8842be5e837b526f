import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase, type Db, type Dialect } from './database.server.ts'

/**
 * Tests run on SQLite, or on the PostgreSQL server `npm run test:pg` started for them
 * (tests/support/run-on-postgres.ts sets this variable to its address).
 */
const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL

/** The dialect this test run uses: `describe.skipIf(testDialect !== 'sqlite')` for a test of SQLite itself. */
export const testDialect: Dialect = POSTGRES_URL ? 'postgres' : 'sqlite'

/**
 * A fresh, empty database for one test: SQLite in memory, or a schema of its own on the test
 * PostgreSQL (every connection's search_path points there, so tables land in it).
 * @example const db = await openTestDatabase()
 */
export async function openTestDatabase(): Promise<Db> {
  return openDatabase(await testDatabaseLocation())
}

/**
 * Where a fresh database is, for a test that opens it from several processes or threads (or
 * hands it to a server): a new SQLite file in `dir` (`:memory:` without one), or the URL of a
 * new PostgreSQL schema.
 * @example spawn('node', ['dist/server.js'], { env: { ...databaseEnv(await testDatabaseLocation(dir)) } })
 */
export async function testDatabaseLocation(dir?: string): Promise<string> {
  if (!POSTGRES_URL) return dir ? join(dir, `db-${randomUUID()}.sqlite`) : ':memory:'
  const schema = `test_${randomUUID().replaceAll('-', '')}`
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    await client.query(`create schema ${schema}`)
  } finally {
    await client.end()
  }
  const url = new URL(POSTGRES_URL)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return url.href
}

/** The environment that points a server at a database location: DATABASE_URL or DATABASE_PATH. */
export function databaseEnv(location: string): Record<string, string> {
  return /^postgres(ql)?:/.test(location) ? { DATABASE_URL: location } : { DATABASE_PATH: location }
}
