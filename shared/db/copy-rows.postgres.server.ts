import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CompiledQuery, sql } from 'kysely'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { assertColumns, type BulkRow } from './bulk-rows.ts'
import type { Database, Db } from './database.server.ts'

/**
 * PostgreSQL's twin of insertMany's batched INSERTs: the rows stream in through one
 * `COPY … FROM STDIN`, which parses no statement per batch (a million products: 86 s by 500-row
 * INSERTs, 49 s by COPY, here). Runs on the transaction's own connection, like any of its queries:
 * the pool's connections (postgres-database.server.ts) take a COPY whose one parameter is the
 * rows' text. Rows must all have the keys of the first, in the same order.
 */
export async function copyRows(trx: Db, table: keyof Database & string, rows: Iterable<BulkRow>): Promise<number> {
  const iterator = rows[Symbol.iterator]()
  const first = iterator.next()
  if (first.done) return 0
  const columns = Object.keys(first.value)
  let copied = 0
  function* text(): Generator<string> {
    let chunk = ''
    for (let next: IteratorResult<BulkRow> = first; !next.done; next = iterator.next()) {
      chunk += copyLine(next.value, columns, table)
      copied++
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk
        chunk = ''
      }
    }
    if (chunk) yield chunk
  }
  const statement = sql`copy ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) from stdin`.compile(trx)
  await trx.executeQuery(CompiledQuery.raw(statement.sql, [Readable.from(text(), { objectMode: false })]))
  return copied
}

/** Text sent to the server at a time: large enough that the protocol's framing costs nothing. */
const CHUNK_CHARS = 64 * 1024

/** One row in COPY's text format: its values tab-separated, in the columns' order. */
function copyLine(row: BulkRow, columns: readonly string[], table: string): string {
  assertColumns(row, columns, table)
  return `${columns.map((column) => copyText(row[column] ?? null)).join('\t')}\n`
}

/** A value as COPY's text format reads it: `\N` for NULL; backslash, tab and line breaks escaped. */
const copyText = (value: string | number | null) => (value === null ? '\\N' : typeof value === 'number' ? String(value) : value.replace(SPECIAL, escaped))
const SPECIAL = /[\\\t\n\r]/g
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }
const escaped = (character: string) => ESCAPES[character]!

/** The statement a pool connection hands to copyIn instead of running it as a query. */
export const COPY_FROM_STDIN = /^copy\s[^;]*\sfrom\s+stdin$/i

/**
 * Runs `COPY … FROM STDIN` on `client`, streaming `source` (pg-copy-streams): a failure (a row
 * the table refuses) rejects with the server's error and the transaction is aborted, as a query's.
 */
export async function copyIn(client: pg.PoolClient, text: string, source: Readable): Promise<pg.QueryResult> {
  const stream = client.query(copyFrom(text))
  await pipeline(source, stream)
  return { command: 'COPY', rowCount: stream.rowCount, rows: [], oid: 0, fields: [] }
}
