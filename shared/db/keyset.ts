import { sql, type RawBuilder, type SqlBool } from 'kysely'

/*
 * Keyset ("seek") pagination: a page starts after (or before) the row the last page ended on, found
 * in the listing's index by its sort key and id, so page 10,000 costs what page 1 costs; OFFSET
 * reads and skips every row before it. Listings order by (key, id desc); a cursor is that pair as
 * text, `<key>_<id>`, so a page's URL says where it is (`?after=1299_40512`: after the product at
 * $12.99 with id 40512) and stays a plain, shareable link.
 */

/** How a page is found: by number (OFFSET: the first page, or a bounded search), after or before a row, or from the end. */
export type Seek = 'offset' | 'after' | 'before' | 'last'

export type Cursor<Key extends string | number = string | number> = { key: Key; id: number }

export const encodeCursor = (key: string | number, id: number): string => `${key}_${id}`

/**
 * The type of a listing's sort column: a 4-byte `integer` (a price), an 8-byte one (a time in ms,
 * `INT64`), or text. A cursor's key must fit it: PostgreSQL refuses a comparison with a value its
 * column cannot hold (an error, not "no rows", as SQLite answers).
 */
export type KeyType = 'int32' | 'int64' | 'text'
const INT32_MAX = 2_147_483_647

/** A cursor's key and id (an `integer` column's), the key as the listing's sort column holds it; null if it is not one. */
export function decodeCursor(text: string, key: KeyType): Cursor | null {
  const at = text.lastIndexOf('_')
  const [head, id] = [text.slice(0, at), Number(text.slice(at + 1))]
  if (at < 0 || !/^\d{1,10}$/.test(text.slice(at + 1)) || id > INT32_MAX) return null
  if (key === 'text') return { key: head, id }
  if (!/^-?\d{1,15}$/.test(head)) return null
  const value = Number(head)
  return key === 'int64' || Math.abs(value) <= INT32_MAX ? { key: value, id } : null
}

/** Where a page is, as its URL says: a number or `last`, or after or before a row. */
export type Position = { page?: number | 'last' | undefined; after?: string | undefined; before?: string | undefined }
export type Found = { seek: Seek; cursor: Cursor | null; offset: number; page: number }

/**
 * How to find the page at `position`: its seek, cursor and offset. Refused, naming the parameter at
 * fault: a cursor that is not one for the listing's key, both `after` and `before`, a `page` with
 * either (which one would win is a guess: refused as `after` with `before` is), or a page
 * number past `maxNumbered` (OFFSET is for the first few pages only: deeper, the listing's links go
 * by position). `refusePosition` (shared/http) answers a refusal.
 */
export function findPosition(position: Position, { key, limit, maxNumbered }: { key: KeyType; limit: number; maxNumbered: number }): Found | PositionRefused {
  if (position.after !== undefined && position.before !== undefined) return { refused: 'before' }
  const [parameter, text] = position.after !== undefined ? (['after', position.after] as const) : (['before', position.before] as const)
  if (text !== undefined && position.page !== undefined) return { refused: 'page', besides: parameter }
  const cursor = text === undefined ? null : decodeCursor(text, key)
  if (text !== undefined && !cursor) return { refused: parameter }
  if (cursor) return { seek: parameter, cursor, offset: 0, page: 1 }
  const page = position.page ?? 1
  if (page === 'last') return { seek: 'last', cursor: null, offset: 0, page: 1 }
  if (page > maxNumbered) return { refused: 'page', maxNumbered }
  return { seek: 'offset', cursor: null, offset: (page - 1) * limit, page }
}

/** A position `findPosition` refused: the query parameter at fault (with the deepest numbered page, or the cursor it was sent with, for `page`). */
export type PositionRefused = { refused: 'after' | 'before' } | { refused: 'page'; maxNumbered: number } | { refused: 'page'; besides: 'after' | 'before' }

/** Whether a seek reads the listing's order backwards (the page is then turned round). */
export const readsBackwards = (seek: Seek) => seek === 'before' || seek === 'last'

/** The direction to read a column the listing shows in `order`. */
export const readOrder = (order: 'asc' | 'desc', seek: Seek): 'asc' | 'desc' => (readsBackwards(seek) === (order === 'asc') ? 'desc' : 'asc')

/**
 * The rows after (or before) a cursor in a listing ordered by `column` `order`, then `id` desc.
 * Written `key >= v and (key > v or id < i)`, not as an OR alone, so SQLite seeks the index to `v`
 * and checks only the rows that tie with it.
 */
export function seekFrom(column: string, order: 'asc' | 'desc', seek: 'after' | 'before', key: unknown, id: unknown, idColumn: string): RawBuilder<SqlBool> {
  const keyBeyond = sql.raw((order === 'asc') === (seek === 'after') ? '>' : '<')
  const idBeyond = sql.raw(seek === 'after' ? '<' : '>')
  return sql<SqlBool>`${sql.ref(column)} ${keyBeyond}= ${key} and (${sql.ref(column)} ${keyBeyond} ${key} or ${sql.ref(idColumn)} ${idBeyond} ${id})`
}

/**
 * A page from the rows a seek read (up to `limit` + 1, in reading order): the rows in the
 * listing's order, and the cursors of the pages around it (null: none). `restart` when a page
 * before a cursor ran into the start: read the first page instead, so that it is full.
 * @example keysetPage(rows, { seek: 'after', limit: 48, offset: 0, cursorOf: (row) => encodeCursor(row.price_cents, row.id) })
 */
export function keysetPage<Row>(
  read: Row[],
  { seek, limit, offset, cursorOf }: { seek: Seek; limit: number; offset: number; cursorOf: (row: Row) => string },
): KeysetPage<Row> {
  const more = read.length > limit
  const rows = read.slice(0, limit)
  if (readsBackwards(seek)) rows.reverse()
  const [first, last] = [rows[0], rows.at(-1)]
  const hasPrevious = seek === 'offset' ? offset > 0 : seek === 'after' || more
  const hasNext = seek !== 'last' && (seek === 'before' || more)
  return {
    rows,
    before: hasPrevious && first !== undefined ? cursorOf(first) : null,
    after: hasNext && last !== undefined ? cursorOf(last) : null,
    atFirst: seek === 'offset' ? offset === 0 : !hasPrevious && rows.length > 0,
    restart: seek === 'before' && !more,
  }
}

export interface KeysetPage<Row> {
  rows: Row[]
  /** The cursor of the page before this one (`?before=`), and after it (`?after=`). */
  before: string | null
  after: string | null
  /** Whether this is the first page (a page from a cursor past either end is not). */
  atFirst: boolean
  restart: boolean
}
