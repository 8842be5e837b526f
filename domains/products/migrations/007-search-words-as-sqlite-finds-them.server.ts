import { type Kysely, type RawBuilder, sql } from 'kysely'
import { dialectOf } from '#shared/db'
import * as before from './005-search-without-accents-on-postgres.server.ts'

/**
 * Each letter that SQLite's tokenizer (unicode61 remove_diacritics 2) folds other than
 * PostgreSQL's lower() does, and what it folds to, one to one: Latin with diacritics (Latin-1,
 * Extended-A, -B and Additional: Vietnamese), and the Greek letter forms it folds (ς to σ, ϐ to β…).
 * Found by asking SQLite itself, letter by letter, against PostgreSQL 15 in C.UTF-8 (as
 * search-parity.test.ts still does), and written out, so the column holds the same on every host
 * whatever its Unicode tables. ø ł đ ħ are not in it: SQLite keeps them (migration 005 folded them on PostgreSQL alone).
 * search.postgres.server.ts folds the shopper's words with the same two strings.
 */
export const ACCENTED =
  'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳςϐϑϕϖϰϱϵḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹι'
export const PLAIN =
  'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzsoouuaaiioouuuuuuuuuuaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyσβθφπκρεaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwysaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyyι'

/**
 * Punctuation inside a word that PostgreSQL's parser keeps in one token (3.5, v2.0, example.com,
 * user@example.org, a/b, foo-bar besides foo and bar, -5, 1e+10) where SQLite splits at it: a space
 * instead, so "5mm" finds "3.5mm" on both, as every other word's prefix does. By replace(), one
 * scan each: to_tsvector of 200,000 descriptions 1.19 s, with these 1.20 s (translate(): 1.42 s).
 */
const JOINERS = ['.', '-', '/', '@', '+']

/**
 * A text column as SQLite tokenizes it. translate() reads its whole list for each character (10x
 * to_tsvector's own cost), so only a text with a letter past ASCII goes through it.
 */
const folded = (column: string) => {
  const split = JOINERS.reduce<RawBuilder<string>>((text, joiner) => sql`replace(${text}, ${sql.lit(joiner)}, ' ')`, sql.ref(column))
  return sql`case when ${sql.ref(column)} ~ '[^\x01-\x7f]' then translate(${split}, ${sql.lit(ACCENTED)}, ${sql.lit(PLAIN)}) else ${split} end`
}

/**
 * PostgreSQL's search_vector made again with the fold above: the same words as SQLite's search
 * finds (a test compares them, search-parity.test.ts). It rewrites the products table and builds
 * the GIN index again, under a lock that holds the catalogue's writes and reads meanwhile: on this
 * project's machine 9.5 s for 300,000 products (about 30 s a million): run it at a quiet hour. SQLite: nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await searchVectorAs(db, folded)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await searchVectorAs(
    db,
    (column) =>
      sql`case when ${sql.ref(column)} ~ '[^\x01-\x7f]' then translate(${sql.ref(column)}, ${sql.lit(before.ACCENTED)}, ${sql.lit(before.PLAIN)}) else ${sql.ref(column)} end`,
  )
}

async function searchVectorAs(db: Kysely<unknown>, fold: typeof folded): Promise<void> {
  await sql`alter table products drop column search_vector`.execute(db) // and its index, products_search
  await addSearchVector(db, fold)
}

/** The search column as this migration makes it, and its GIN index (migration 009 makes them again). */
export async function addSearchVector(db: Kysely<unknown>, fold = folded): Promise<void> {
  await sql`alter table products add column search_vector tsvector not null generated always as (
    setweight(to_tsvector('simple', ${fold('name')}), 'A') || setweight(to_tsvector('simple', ${fold('description')}), 'B')) stored`.execute(db)
  await sql`create index products_search on products using gin (search_vector)`.execute(db)
}
