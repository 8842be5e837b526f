import { openDatabase, runMigrations, testDatabaseLocation, type Db } from '#shared/db'
import { jobMigrations } from './migrations.server.ts'
import type { JobRow } from './tables.server.ts'

/** A fresh database (in memory or on the test PostgreSQL, unless a location is given) with the job table, for tests. */
export async function jobsDb(location?: string): Promise<Db> {
  const db = openDatabase(location ?? (await testDatabaseLocation()))
  await runMigrations(db, jobMigrations)
  return db
}

export function readJob(db: Db, id: number): Promise<JobRow> {
  return db.selectFrom('tessera_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}
