import { type Kysely, type RawBuilder, sql } from 'kysely'
import { dialectOf } from '#shared/db'
import { ACCENTED, addSearchVector, PLAIN } from './007-search-words-as-sqlite-finds-them.server.ts'

/*
 * Combining marks as SQLite's tokenizer (unicode61 remove_diacritics 2) takes them: an accent
 * written apart from its Latin letter it drops (a + U+0301 is a), and at every other mark it ends
 * the word (Arabic vowels, Hebrew points, Indic vowel signs: كِتَاب is ك ت اب to it, and to the
 * shopper's words, which split there on both stores). PostgreSQL's parser kept many of them
 * inside the word, so a vocalised name was found on SQLite and not on PostgreSQL. Found by asking
 * SQLite mark by mark (search-parity.test.ts still does), written out as regular-expression
 * classes, so the column holds the same on every host whatever its Unicode tables.
 */
const DROPPED = '[\\u0300-\\u0304\\u0306-\\u030c\\u030f\\u0311\\u031b\\u0323-\\u0328\\u032d-\\u032e\\u0330-\\u0331]'
const SPLIT = [
  '\\u0305\\u030d-\\u030e\\u0310\\u0312-\\u031a\\u031c-\\u0322\\u0329-\\u032c\\u032f\\u0332-\\u036f',
  '\\u0483-\\u0489\\u0591-\\u05bd\\u05bf\\u05c1-\\u05c2\\u05c4-\\u05c5\\u05c7\\u0610-\\u061a\\u064b-\\u065f',
  '\\u0670\\u06d6-\\u06dc\\u06df-\\u06e4\\u06e7-\\u06e8\\u06ea-\\u06ed\\u0711\\u0730-\\u074a\\u07a6-\\u07b0',
  '\\u07eb-\\u07f3\\u0816-\\u0819\\u081b-\\u0823\\u0825-\\u0827\\u0829-\\u082d\\u0859-\\u085b\\u08e4-\\u08fe\\u0900-\\u0903',
  '\\u093a-\\u093c\\u093e-\\u094f\\u0951-\\u0957\\u0962-\\u0963\\u0981-\\u0983\\u09bc\\u09be-\\u09c4\\u09c7-\\u09c8',
  '\\u09cb-\\u09cd\\u09d7\\u09e2-\\u09e3\\u0a01-\\u0a03\\u0a3c\\u0a3e-\\u0a42\\u0a47-\\u0a48\\u0a4b-\\u0a4d',
  '\\u0a51\\u0a70-\\u0a71\\u0a75\\u0a81-\\u0a83\\u0abc\\u0abe-\\u0ac5\\u0ac7-\\u0ac9\\u0acb-\\u0acd',
  '\\u0ae2-\\u0ae3\\u0b01-\\u0b03\\u0b3c\\u0b3e-\\u0b44\\u0b47-\\u0b48\\u0b4b-\\u0b4d\\u0b56-\\u0b57\\u0b62-\\u0b63',
  '\\u0b82\\u0bbe-\\u0bc2\\u0bc6-\\u0bc8\\u0bca-\\u0bcd\\u0bd7\\u0c01-\\u0c03\\u0c3e-\\u0c44\\u0c46-\\u0c48',
  '\\u0c4a-\\u0c4d\\u0c55-\\u0c56\\u0c62-\\u0c63\\u0c82-\\u0c83\\u0cbc\\u0cbe-\\u0cc4\\u0cc6-\\u0cc8\\u0cca-\\u0ccd',
  '\\u0cd5-\\u0cd6\\u0ce2-\\u0ce3\\u0d02-\\u0d03\\u0d3e-\\u0d44\\u0d46-\\u0d48\\u0d4a-\\u0d4d\\u0d57\\u0d62-\\u0d63',
  '\\u0d82-\\u0d83\\u0dca\\u0dcf-\\u0dd4\\u0dd6\\u0dd8-\\u0ddf\\u0df2-\\u0df3\\u0e31\\u0e34-\\u0e3a',
  '\\u0e47-\\u0e4e\\u0eb1\\u0eb4-\\u0eb9\\u0ebb-\\u0ebc\\u0ec8-\\u0ecd\\u0f18-\\u0f19\\u0f35\\u0f37',
  '\\u0f39\\u0f3e-\\u0f3f\\u0f71-\\u0f84\\u0f86-\\u0f87\\u0f8d-\\u0f97\\u0f99-\\u0fbc\\u0fc6\\u102b-\\u103e',
  '\\u1056-\\u1059\\u105e-\\u1060\\u1062-\\u1064\\u1067-\\u106d\\u1071-\\u1074\\u1082-\\u108d\\u108f\\u109a-\\u109d',
  '\\u135d-\\u135f\\u1712-\\u1714\\u1732-\\u1734\\u1752-\\u1753\\u1772-\\u1773\\u17b4-\\u17d3\\u17dd\\u180b-\\u180d',
  '\\u18a9\\u1920-\\u192b\\u1930-\\u193b\\u1a17-\\u1a1b\\u1a55-\\u1a5e\\u1a60-\\u1a7c\\u1a7f\\u1b00-\\u1b04',
  '\\u1b34-\\u1b44\\u1b6b-\\u1b73\\u1b80-\\u1b82\\u1ba1-\\u1bad\\u1be6-\\u1bf3\\u1c24-\\u1c37\\u1cd0-\\u1cd2\\u1cd4-\\u1ce8',
  '\\u1ced\\u1cf4\\u1dc0-\\u1de6\\u1dfc-\\u1dff\\u20d0-\\u20f0\\u2cef-\\u2cf1\\u2d7f\\u2de0-\\u2dff',
  '\\u302a-\\u302f\\u3099-\\u309a\\ua66f-\\ua672\\ua674-\\ua67d\\ua69f\\ua6f0-\\ua6f1\\ua802\\ua806',
  '\\ua80b\\ua823-\\ua827\\ua880-\\ua881\\ua8b4-\\ua8c4\\ua8e0-\\ua8f1\\ua926-\\ua92d\\ua947-\\ua953\\ua980-\\ua983',
  '\\ua9b3-\\ua9c0\\uaa29-\\uaa36\\uaa43\\uaa4c-\\uaa4d\\uaa7b\\uaab0\\uaab2-\\uaab4\\uaab7-\\uaab8',
  '\\uaabe-\\uaabf\\uaac1\\uaaeb-\\uaaef\\uaaf5-\\uaaf6\\uabe3-\\uabea\\uabec-\\uabed\\ufb1e\\ufe00-\\ufe0f',
  '\\ufe20-\\ufe26\\U000101fd\\U00010a01-\\U00010a03\\U00010a05-\\U00010a06\\U00010a0c-\\U00010a0f\\U00010a38-\\U00010a3a\\U00010a3f\\U00011000-\\U00011002',
  '\\U00011038-\\U00011046\\U00011080-\\U00011082\\U000110b0-\\U000110ba\\U00011100-\\U00011102\\U00011127-\\U00011134\\U00011180-\\U00011182\\U000111b3-\\U000111c0\\U000116ab-\\U000116b7',
  '\\U00016f51-\\U00016f7e\\U00016f8f-\\U00016f92\\U0001d165-\\U0001d169\\U0001d16d-\\U0001d172\\U0001d17b-\\U0001d182\\U0001d185-\\U0001d18b\\U0001d1aa-\\U0001d1ad\\U0001d242-\\U0001d244',
  '\\U000e0100-\\U000e01ef',
].join('')

/** As migration 007 (a text with a letter past ASCII only), the marks first. */
const folded = (column: string) => {
  const split = ['.', '-', '/', '@', '+'].reduce<RawBuilder<string>>((text, joiner) => sql`replace(${text}, ${sql.lit(joiner)}, ' ')`, sql.ref(column))
  const marksTaken = sql`regexp_replace(regexp_replace(${split}, ${sql.lit(DROPPED)}, '', 'g'), ${sql.lit(`[${SPLIT}]`)}, ' ', 'g')`
  return sql`case when ${sql.ref(column)} ~ '[^\x01-\x7f]' then translate(${marksTaken}, ${sql.lit(ACCENTED)}, ${sql.lit(PLAIN)}) else ${split} end`
}

/**
 * PostgreSQL's search_vector made again with the marks taken as SQLite takes them. Like migration
 * 007 it rewrites the products table and builds the GIN index again, holding the catalogue's
 * writes and reads meanwhile (about 30 s a million products here): run it at a quiet hour.
 * SQLite: nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await sql`alter table products drop column search_vector`.execute(db) // and its index, products_search
  await addSearchVector(db, folded)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await sql`alter table products drop column search_vector`.execute(db)
  await addSearchVector(db)
}
