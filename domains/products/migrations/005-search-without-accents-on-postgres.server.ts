import { type Kysely, sql } from 'kysely'
import { dialectOf } from '#shared/db'

/**
 * Letters with a diacritic (Latin-1 and Latin Extended-A and -B, and ø ł đ ħ) and the plain letter
 * each stands for, one to one: what SQLite's tokenizer (unicode61 remove_diacritics 2) folds, so
 * "cafe" finds "Café" on PostgreSQL too. Except ø ł đ ħ, which SQLite keeps as they are (they
 * have no decomposition): on PostgreSQL alone "smorrebrod" finds "Smørrebrød" (left so, 2026-11-30:
 * aligning them rewrites the search column of every product). Written out here, not computed, so the column holds the
 * same on every host whatever its Node's Unicode tables; search.postgres.server.ts folds the
 * shopper's words with the same two strings.
 */
export const ACCENTED =
  'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳøØłŁđĐħĦ'
export const PLAIN =
  'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyoOlLdDhH'

/**
 * A text column with its accented letters folded. translate() reads the whole ACCENTED list for
 * each character (10x to_tsvector's own cost: 16 s against 1.4 s for 200,000 products here), so
 * a text with no letter past ASCII skips it (1.5 s). Both are immutable: it stays a generated column.
 */
const folded = (column: string) =>
  sql`case when ${sql.ref(column)} ~ '[^\x01-\x7f]' then translate(${sql.ref(column)}, ${sql.lit(ACCENTED)}, ${sql.lit(PLAIN)}) else ${sql.ref(column)} end`

/** PostgreSQL's search_vector (migration 001) folded so; the GIN index is rebuilt with it. SQLite's FTS5 already folds. */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await sql`alter table products drop column search_vector`.execute(db) // and its index, products_search
  await sql`alter table products add column search_vector tsvector not null generated always as (
    setweight(to_tsvector('simple', ${folded('name')}), 'A') || setweight(to_tsvector('simple', ${folded('description')}), 'B')) stored`.execute(db)
  await sql`create index products_search on products using gin (search_vector)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await sql`alter table products drop column search_vector`.execute(db)
  await sql`alter table products add column search_vector tsvector not null generated always as (setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', description), 'B')) stored`.execute(
    db,
  )
  await sql`create index products_search on products using gin (search_vector)`.execute(db)
}
