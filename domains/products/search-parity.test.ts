import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertMany, testDialect, type Db } from '#shared/db'
import { SEARCH_TEST_LETTERS } from './search-test-letters.ts'
import { catalogueDb } from './test-db.ts'

/*
 * PostgreSQL's search column (migration 007) must hold the words SQLite's FTS5 (unicode61
 * remove_diacritics 2) makes of the same text: the same searches then find the same products.
 * Compared word for word, on every letter of the scripts a catalogue is likely to use and on
 * text whose punctuation PostgreSQL's parser would keep inside a word. Only with PostgreSQL
 * (npm run test:pg); SQLite's side is an in-memory FTS5 table.
 */

/** Letters newer than SQLite's Unicode tables, which it does not lower-case (PostgreSQL does): Ϳ (Unicode 7). */
const NEWER = new Set(['\u037f'])
const LETTERS = SEARCH_TEST_LETTERS.filter((char) => !NEWER.has(char))

const TEXTS = [
  '3.5mm Audio Cable v2.0',
  'Price 12.50 Label, -5 off',
  'example.com Gift Card for user@example.org',
  'Hand-thrown mug / bowl set + saucer',
  'http://x.io/a?b=c#d 1e+10 50%off a&b C++ C# 1,000',
  "Tom's mug, Tom’s «best» cup — 100% tea… ~home",
  'Phở Bowl Việt, Σίσυφος ΣΊΣΥΦΟΣ, ΣΟΦΟΣ σοφος',
  'Smørrebrød Łódź Đorđe Ħamrun, Ærø, straße, İstanbul',
  'Crème brûlée café, naïve résumé, Noël',
]

/** Each text's words as SQLite's FTS5 makes them, sorted. */
function sqliteWords(texts: string[]): string[][] {
  const db = new SQLite(':memory:')
  db.exec(`create virtual table t using fts5(x, tokenize = 'unicode61 remove_diacritics 2'); create virtual table v using fts5vocab(t, 'instance')`)
  const insert = db.prepare('insert into t (rowid, x) values (?, ?)')
  for (const [i, text] of texts.entries()) insert.run(i + 1, text)
  const words = texts.map(() => new Set<string>())
  for (const { doc, term } of db.prepare('select doc, term from v').all() as { doc: number; term: string }[]) words[doc - 1]!.add(term)
  db.close()
  return words.map((set) => [...set].sort())
}

describe.skipIf(testDialect !== 'postgres')('PostgreSQL’s search words, against SQLite’s', () => {
  let db: Db
  beforeAll(async () => {
    db = await catalogueDb()
    await db.insertInto('categories').values({ slug: 'kitchen', name: 'Kitchen' }).execute()
  })
  afterAll(() => db.destroy())

  /** Each text's words in PostgreSQL's search column, sorted: as a product's name, no description. */
  async function postgresWords(texts: string[], tag: string): Promise<string[][]> {
    const { id: category } = await db.selectFrom('categories').select('id').where('slug', '=', 'kitchen').executeTakeFirstOrThrow()
    const rows = texts.map((name, i) => ({
      slug: `${tag}-${i}`,
      name,
      description: '',
      price_cents: 100,
      stock: 1,
      category_id: category,
      created_at: 0,
      updated_at: 0,
    }))
    await db.transaction().execute((trx) => insertMany(trx, 'products', rows))
    const found = await sql<{ slug: string; words: string[] }>`
      select slug, tsvector_to_array(search_vector) as words from products where slug like ${`${tag}-%`}`.execute(db)
    const bySlug = new Map(found.rows.map((row) => [row.slug, [...row.words].sort()]))
    return texts.map((_, i) => bySlug.get(`${tag}-${i}`) ?? [])
  }

  it('folds every letter as SQLite does (between two letters, as inside a word)', async () => {
    const texts = LETTERS.map((letter) => `q${letter}q`)
    const [postgres, sqlite] = [await postgresWords(texts, 'letter'), sqliteWords(texts)]
    const differ = texts.flatMap((text, i) => (postgres[i]!.join(' ') === sqlite[i]!.join(' ') ? [] : [`${text}: ${postgres[i]} / ${sqlite[i]}`]))
    expect(differ).toEqual([])
  })

  it('sorts names by code point, as SQLite does, whatever locale the database was made with (migration 009)', async () => {
    const collations = await sql<{ table_name: string; collation_name: string }>`
      select table_name, collation_name from information_schema.columns
      where table_schema = current_schema() and column_name = 'name' and table_name in ('products', 'categories') order by table_name`.execute(db)
    expect(collations.rows).toEqual([
      { table_name: 'categories', collation_name: 'C' },
      { table_name: 'products', collation_name: 'C' },
    ])
    const names = ['b', 'B', 'Åland', 'Aland', 'a', 'Z', 'éclair', 'Éclair', 'zebra', 'Ärger']
    await postgresWords(names, 'order')
    const postgres = await sql<{ name: string }>`select name from products where slug like 'order-%' order by name`.execute(db)
    const sqlite = new SQLite(':memory:')
    sqlite.exec('create table t (name text)')
    for (const name of names) sqlite.prepare('insert into t values (?)').run(name)
    const expected = (sqlite.prepare('select name from t order by name').all() as { name: string }[]).map((row) => row.name)
    sqlite.close()
    expect(postgres.rows.map((row) => row.name)).toEqual(expected)
  })

  it('splits words where SQLite does: at dots, hyphens, slashes, @ and +, and any other punctuation', async () => {
    const [postgres, sqlite] = [await postgresWords(TEXTS, 'text'), sqliteWords(TEXTS)]
    for (const [i, text] of TEXTS.entries()) expect([text, postgres[i]]).toEqual([text, sqlite[i]])
  })
})
