import { sql, type Kysely } from 'kysely'
import { dialectOf } from '#shared/db'

/**
 * PostgreSQL: every invalidation row is NOTIFYed on its schema's channel as its transaction
 * commits (never if it rolls back), so every host's listener applies it within moments. The
 * payload carries the row; a value too long for NOTIFY's 8,000 bytes goes as its id alone (the
 * listener reads the row). SQLite polls the table instead: nothing to do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await sql`
    create function tessera_notify_cache_invalidation() returns trigger language plpgsql as $$
    begin
      perform pg_notify(
        left(tg_table_schema || ':tessera_cache', 63),
        json_build_object('id', new.id, 'kind', new.kind, 'value', case when octet_length(new.value) <= 4000 then new.value end)::text
      );
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger tessera_cache_invalidations_notify after insert on tessera_cache_invalidations
    for each row execute function tessera_notify_cache_invalidation()`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await sql`drop trigger tessera_cache_invalidations_notify on tessera_cache_invalidations`.execute(db)
  await sql`drop function tessera_notify_cache_invalidation()`.execute(db)
}
