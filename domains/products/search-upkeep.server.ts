import { sql } from 'kysely'
import { dialectOf, type Db } from '#shared/db'

/**
 * How the search index keeps up with the products, for a bulk load: the triggers it turns off
 * and the one pass that rebuilds the index after. SQLite's FTS5 table is kept by migration 001's
 * triggers; PostgreSQL's tsvector is a generated column: nothing to turn off or rebuild.
 */
export function searchUpkeep(db: Db): { triggers: string[]; rebuild(trx: Db): Promise<void> } {
  if (dialectOf(db) === 'postgres') return { triggers: [], rebuild: async () => {} }
  return {
    triggers: ['products_fts_insert', 'products_fts_delete', 'products_fts_update'],
    rebuild: async (trx) => void (await sql`insert into products_fts(products_fts) values ('rebuild')`.execute(trx)),
  }
}
