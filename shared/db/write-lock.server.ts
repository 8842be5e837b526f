import { sql } from 'kysely'
import { dialectOf, type Db } from './database.server.ts'

/**
 * Makes the rest of a transaction run alone among transactions taking the same `name`, across
 * processes and hosts, so a read-then-write (is the catalogue empty? then seed it) cannot race.
 * SQLite's transactions already run one at a time (they begin immediate); PostgreSQL takes a
 * transaction-scoped advisory lock, freed at commit or rollback.
 * @example await db.transaction().execute(async (trx) => { await writeAlone(trx, 'seed-catalogue'); … })
 */
export async function writeAlone(trx: Db, name: string): Promise<void> {
  if (!trx.isTransaction) throw new Error('writeAlone: run it inside a transaction')
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx)
}
