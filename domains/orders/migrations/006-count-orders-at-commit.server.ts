import { sql, type Kysely } from 'kysely'
import { dialectOf } from '#shared/db'
import { ORDER_COUNT_TRIGGERS } from '../order-counts.server.ts'

/**
 * Checkouts queued on one row: every order's insert, and its payment's status change, updated
 * order_counts' everyone row, which then stayed locked to the end of the transaction. Measured
 * with bench:hosts BENCH_PG_WAITS=1: 4 of a host's checkouts on average waited on that lock
 * (13 with two hosts), 0.3 ran. So on PostgreSQL the triggers become constraint triggers deferred
 * to the commit (the row is locked only while the transaction commits), and on both databases a
 * status change that moves no count (pending → paid) no longer touches the counts at all.
 */
const MOVES_A_COUNT = `old.user_id is not new.user_id or (old.status = 'cancelled') is not (new.status = 'cancelled') or old.total_cents is not new.total_cents`

export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') return createPostgresTriggers(db, { atCommit: true })
  await recreateSqliteUpdateTrigger(db, ` when ${MOVES_A_COUNT}`)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') return createPostgresTriggers(db, { atCommit: false })
  await recreateSqliteUpdateTrigger(db, '')
}

/** Migration 004's three triggers again, deferred to the commit or not (the update's only when it moves a count). */
async function createPostgresTriggers(db: Kysely<unknown>, { atCommit }: { atCommit: boolean }) {
  const [insert, remove, update] = ORDER_COUNT_TRIGGERS
  for (const name of ORDER_COUNT_TRIGGERS) await sql`drop trigger ${sql.id(name)} on orders`.execute(db)
  const kind = sql.raw(atCommit ? 'constraint trigger' : 'trigger')
  const timing = sql.raw(atCommit ? 'deferrable initially deferred for each row' : 'for each row')
  const when = sql.raw(atCommit ? `when (${MOVES_A_COUNT.replaceAll(' is not ', ' is distinct from ')})` : '')
  await sql`create ${kind} ${sql.id(insert)} after insert on orders ${timing} execute function orders_count()`.execute(db)
  await sql`create ${kind} ${sql.id(remove)} after delete on orders ${timing} execute function orders_count()`.execute(db)
  await sql`create ${kind} ${sql.id(update)} after update of user_id, status, total_cents on orders ${timing} ${when} execute function orders_count()`.execute(
    db,
  )
}

/** SQLite's update trigger with its body as migration 004 wrote it, and `when` before it. */
async function recreateSqliteUpdateTrigger(db: Kysely<unknown>, when: string) {
  const update = ORDER_COUNT_TRIGGERS[2]
  const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = ${update}`.execute(db)
  const body = rows[0]?.sql.slice(rows[0].sql.indexOf(' begin '))
  if (!body) throw new Error(`migration 006: no trigger ${update}`)
  await sql`drop trigger ${sql.id(update)}`.execute(db)
  await sql.raw(`create trigger ${update} after update of user_id, status, total_cents on orders${when}${body}`).execute(db)
}
