import { openDatabase, runMigrations, type Db } from '#shared/db'
import { jobMigrations } from './migrations.server.ts'
import type { JobRow } from './tables.server.ts'

/** A fresh database (in memory unless a file is given) with the job table, for tests. */
export async function jobsDb(path = ':memory:'): Promise<Db> {
  const db = openDatabase(path)
  await runMigrations(db, jobMigrations)
  return db
}

export function readJob(db: Db, id: number): Promise<JobRow> {
  return db.selectFrom('tessera_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}
