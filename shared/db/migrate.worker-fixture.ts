/** One "process" for migrator.test.ts: migrates the database at `path`, reports how many it ran. */
import { parentPort, workerData } from 'node:worker_threads'
import { sql } from 'kysely'
import { openDatabase, type Db } from './database.server.ts'
import { runMigrations } from './migrator.server.ts'

const { path } = workerData as { path: string }
const table = (name: string) => ({
  up: async (db: Db) => {
    await sql`create table ${sql.table(name)} (id integer primary key)`.execute(db)
  },
})
// Two stretches, as domains make them (see runMigrations): `b/…`, then `a/…`, which run after them.
const stretch = (domain: string) => Array.from({ length: 10 }, (_, i) => [`${domain}/${String(i).padStart(3, '0')}`, table(`${domain}${i}`)] as const)
const migrations = Object.fromEntries([...stretch('b'), ...stretch('a')])
const db = openDatabase(path)
const results = await runMigrations(db, migrations)
await db.destroy()
parentPort!.postMessage(results.length)
