import { sql } from 'kysely'
import type { Db } from '#shared/db'
import type { SearchStep } from './search.server.ts'

/** A word in at least this share of products is common. */
const COMMON = 0.05
/**
 * What testing one product of the rare words' list costs, in entries the GIN index gathers for
 * a common prefix: measured at a million on PostgreSQL 15 ("walnut for the": its 37,512 rows tested
 * 489 ms; "for" and "the", 1.4 million entries gathered, 148 ms), about 130; a round 100.
 */
const ROW_COST_IN_ENTRIES = 100
/** How long the column's statistics are trusted before they are read again (ANALYZE renews them). */
const STATS_FOR_MS = 10 * 60_000

type Frequencies = { at: number; of: Map<string, number> }
/** Per database: by its adapter, which its transactions share. */
const kept = new WeakMap<object, Frequencies>()

/**
 * Where the GIN index should start a search's walk: the tsquery of its words but the common
 * ones, when that is cheaper than the whole; null when the whole query is the cheaper walk.
 *
 * The index gathers every match of a common word before intersecting, so each common prefix
 * ("the", "for", "made", "in") costs 0.1-0.3 s at a million products whatever the other words:
 * twelve such words took 1.4-2.5 s. A common whole word too: "a", in every product, made the
 * index's part of "a … walnut" 29-58 ms against 8-24 ms for "walnut" alone (it does not skip
 * through a million entries for free). Left out of the index's query, they are tested on the rows
 * the rest finds, which costs ROW_COST_IN_ENTRIES per row: worth it when the rarest word left is
 * rare enough.
 * Shares come from the column's statistics (pg_stats' most common lexemes of search_vector): a
 * prefix's share is its listed lexemes' added up, a word with none listed is taken as the least
 * listed one, and a prefix of one or two letters is never the one to start from (its unlisted
 * lexemes may add up to many). Only where the walk starts changes: every row found is tested
 * against the whole query, so the matches are the same. docs/decisions/014.
 * The statistics are read through `step` (a query of the search, within its bound) only when they
 * are not kept: a search that finds them kept sends nothing for them.
 * @example await rareWordsOf(db, "'mug':* & 'a' & 'made':* & 'for':*") // "'mug':*"
 */
export async function rareWordsOf(db: Db, tsquery: string, step: SearchStep = (query) => query(db)): Promise<string | null> {
  const frequencies = await frequenciesOf(db, step)
  if (frequencies.size === 0) return null // not analyzed yet: nothing to go on
  const least = Math.min(...frequencies.values())
  const words = tsquery.split(' & ').map((text) => ({ text, ...shareOf(text, frequencies, least) }))
  const gathered = words.filter((word) => word.short || word.share >= COMMON)
  const left = words.filter((word) => !gathered.includes(word))
  if (gathered.length === 0 || left.length === 0) return null
  const rarest = Math.min(...left.map((word) => word.share))
  const savedEntries = gathered.reduce((sum, word) => sum + word.share, 0)
  return rarest * ROW_COST_IN_ENTRIES < savedEntries ? left.map((word) => word.text).join(' & ') : null
}

/** A word's share of products (its lexemes', a group of spellings added up), and whether it is a prefix of 1-2 letters. */
function shareOf(word: string, frequencies: Map<string, number>, least: number) {
  let share = 0
  let listed = false
  let short = false
  for (const [, lexeme, star] of word.matchAll(/'([^']*)'(:\*)?/g)) {
    short ||= !!star && [...lexeme!].length < 3
    for (const [known, frequency] of frequencies) {
      if (star ? known.startsWith(lexeme!) : known === lexeme) {
        share += frequency
        listed = true
      }
    }
  }
  return { share: listed ? Math.min(share, 1) : least, short }
}

async function frequenciesOf(db: Db, step: SearchStep): Promise<Map<string, number>> {
  const known = kept.get(db.getExecutor().adapter)
  if (known && performance.now() - known.at < STATS_FOR_MS) return known.of
  const read = (trx: Db) =>
    sql<{ lexeme: string; frequency: number }>`
    select e.lexeme, e.frequency from pg_stats s,
      unnest(cast(cast(s.most_common_elems as text) as text[]), s.most_common_elem_freqs) as e(lexeme, frequency)
    where s.schemaname = current_schema() and s.tablename = 'products' and s.attname = 'search_vector' and e.lexeme is not null`.execute(trx)
  const { rows } = await step(read)
  const of = new Map(rows.map((row) => [row.lexeme, Number(row.frequency)]))
  kept.set(db.getExecutor().adapter, { at: performance.now(), of })
  return of
}
