import { sql } from 'kysely'
import { dialectOf, type Database, type Db } from './database.server.ts'

/**
 * Takes `count` ids of `table` (its `id` column, numbered by the database: generatedId) for rows
 * a bulk load inserts with explicit ids, and answers the first. They come after every id the
 * table has given, a deleted row's too (never reused: jobs and logs may name it), and the table's
 * own numbering goes on after them. Inside the load's transaction. Not for a table others insert
 * into at the same moment (a seed, not a checkout).
 * @example const first = await reserveIds(trx, 'orders', 1000) // insert ids first … first + 999
 */
export async function reserveIds(trx: Db, table: keyof Database & string, count: number): Promise<number> {
  if (!trx.isTransaction) throw new Error('reserveIds: run it inside a transaction')
  return (dialectOf(trx) === 'postgres' ? reservePostgres : reserveSqlite)(trx, table, count)
}

/**
 * SQLite: AUTOINCREMENT keeps the highest id it gave in sqlite_sequence (no row before the first
 * insert) and moves it on by itself when a larger id is inserted explicitly.
 */
async function reserveSqlite(trx: Db, table: string, _count: number): Promise<number> {
  const { rows } = await sql<{
    last: number
  }>`select max(coalesce((select max(id) from ${sql.table(table)}), 0), coalesce((select seq from sqlite_sequence where name = ${table}), 0)) as last`.execute(
    trx,
  )
  return rows[0]!.last + 1
}

/**
 * PostgreSQL: an identity column's sequence knows nothing of explicit ids, so it is moved past
 * them here (setval: not undone by a rollback, which only skips ids, never reuses one).
 */
async function reservePostgres(trx: Db, table: string, count: number): Promise<number> {
  const { rows } = await sql<{ last: number }>`
    select setval(sequence, greatest(coalesce((select max(id) from ${sql.table(table)}), 0), coalesce(pg_sequence_last_value(sequence), 0)) + ${count}) as last
    from (select pg_get_serial_sequence(${table}, 'id')::regclass as sequence) as identity`.execute(trx)
  return rows[0]!.last - count + 1
}
