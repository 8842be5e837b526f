import { sql, type CompiledQuery } from 'kysely'
import { assertColumns, type BulkRow } from './bulk-rows.ts'
import { copyRows } from './copy-rows.postgres.server.ts'
import { dialectOf, type Database, type Db } from './database.server.ts'

/**
 * Inserts rows. SQLite: `batch` at a time, through one prepared statement (and one for the last,
 * shorter batch): Kysely builds the multi-row INSERT once and each batch binds new values, so a
 * million rows cost a million binds, not ten thousand query builds. PostgreSQL: all of them
 * through one `COPY … FROM STDIN` (copy-rows.postgres.server.ts). Rows must all have the keys of
 * the first, in the same order. Use it inside a transaction. Returns the number of rows.
 * @example await insertMany(trx, 'products', rows)
 */
export async function insertMany(trx: Db, table: keyof Database & string, rows: Iterable<BulkRow>, batch = 500): Promise<number> {
  if (dialectOf(trx) === 'postgres') return copyRows(trx, table, rows)
  const statements = new Map<number, CompiledQuery>()
  let pending: BulkRow[] = []
  let inserted = 0
  const flush = async () => {
    const values = pending.flatMap((row) => Object.values(row))
    let statement = statements.get(pending.length)
    if (!statement) {
      // Compiled from the rows themselves: Kysely binds their values in their keys' order.
      statement = (trx.insertInto(table) as unknown as { values(rows: BulkRow[]): { compile(): CompiledQuery } }).values(pending).compile()
      statements.set(pending.length, statement)
    }
    await trx.executeQuery({ ...statement, parameters: values })
    inserted += pending.length
    pending = []
  }
  let columns: string[] | undefined
  for (const row of rows) {
    columns ??= Object.keys(row)
    assertColumns(row, columns, table)
    pending.push(row)
    if (pending.length === batch) await flush()
  }
  if (pending.length > 0) await flush()
  return inserted
}

/**
 * Runs a bulk load into `table` with its secondary indexes dropped and the named triggers off,
 * then puts them back: building an index once is much faster than updating it row by row (a
 * million products on SQLite: 13 s instead of about 55). Indexes that enforce a UNIQUE or PRIMARY
 * KEY constraint stay (they check the load); a unique index of its own is dropped too, and checks
 * the load when it is built again. On PostgreSQL the table's foreign keys are dropped too, and
 * check the load when they are added back (until the commit, that also locks the tables they
 * refer to). Only inside a transaction: should the load fail, the
 * schema comes back with the rollback (both dialects have transactional DDL). A trigger that is
 * off does not fire during the load: the caller does its work afterwards (a count, an FTS rebuild).
 * @example await withIndexesDeferred(trx, 'products', ['products_count_insert'], () => insertMany(trx, 'products', rows))
 */
export async function withIndexesDeferred<T>(trx: Db, table: string, triggers: readonly string[], load: () => Promise<T>): Promise<T> {
  if (!trx.isTransaction) throw new Error('withIndexesDeferred: run it inside a transaction')
  const deferred = await (dialectOf(trx) === 'postgres' ? deferPostgres : deferSqlite)(trx, table, triggers)
  const missing = triggers.filter((name) => !deferred.triggers.includes(name))
  if (missing.length > 0) throw new Error(`withIndexesDeferred: ${table} has no trigger ${missing.join(', ')}`)
  try {
    await deferred.drop()
    const result = await load()
    await deferred.restore()
    return result
  } finally {
    await deferred.release()
  }
}

/** `release` runs after the load, whether it failed or not: what the connection itself must get back. */
type Deferred = { triggers: string[]; drop(): Promise<void>; restore(): Promise<void>; release(): Promise<void> }

/**
 * The page cache a bulk load on SQLite gets (KiB; SQLite's default is 2 MB), given back after:
 * building the indexes and the search index of a million products in 2 MB spills and re-reads
 * pages all along. Seeding 1M products, alternated on one core: 78.7, 77.1 s → 69.7, 63.6 s
 * (1 GB: no faster). Memory is taken as pages are used, up to this.
 */
const BULK_LOAD_CACHE_KIB = 256 * 1024

/** SQLite: drops the indexes and triggers, and recreates them from the SQL it kept of them; a larger page cache meanwhile. */
async function deferSqlite(trx: Db, table: string, triggers: readonly string[]): Promise<Deferred> {
  const { rows: schema } = await sql<{ type: 'index' | 'trigger'; name: string; sql: string }>`
    select type, name, sql from sqlite_master
    where tbl_name = ${table} and sql is not null and (type = 'index' or (type = 'trigger' and name in (${sql.join(triggers.length ? triggers : [''])})))`.execute(
    trx,
  )
  let cacheSize: number | undefined // the connection's own, once read
  return {
    triggers: schema.filter((item) => item.type === 'trigger').map((item) => item.name),
    drop: async () => {
      cacheSize = (await sql<{ cache_size: number }>`pragma cache_size`.execute(trx)).rows[0]!.cache_size
      await sql.raw(`pragma cache_size = -${BULK_LOAD_CACHE_KIB}`).execute(trx)
      for (const item of schema) await sql`drop ${sql.raw(item.type)} ${sql.id(item.name)}`.execute(trx)
    },
    restore: async () => {
      for (const item of schema) await sql.raw(item.sql).execute(trx)
    },
    release: async () => {
      if (cacheSize !== undefined) await sql.raw(`pragma cache_size = ${cacheSize}`).execute(trx)
    },
  }
}

/**
 * PostgreSQL: drops the indexes no constraint owns (recreated from pg_get_indexdef) and the
 * table's foreign keys (added again from pg_get_constraintdef: one join checks every loaded row
 * instead of a lookup per row, 9 s of a million products' COPY), disables the triggers.
 */
async function deferPostgres(trx: Db, table: string, triggers: readonly string[]): Promise<Deferred> {
  const { rows: indexes } = await sql<{ name: string; definition: string }>`
    select index.relname as name, pg_get_indexdef(index.oid) as definition
    from pg_index
    join pg_class index on index.oid = pg_index.indexrelid
    where pg_index.indrelid = ${table}::regclass and not exists (select 1 from pg_constraint where pg_constraint.conindid = index.oid)`.execute(trx)
  const { rows: found } = await sql<{ name: string }>`
    select tgname as name from pg_trigger where tgrelid = ${table}::regclass and not tgisinternal and tgname in (${sql.join(triggers.length ? triggers : [''])})`.execute(
    trx,
  )
  const { rows: foreignKeys } = await sql<{ name: string; definition: string }>`
    select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = ${table}::regclass and contype = 'f'`.execute(trx)
  const named = found.map((trigger) => trigger.name)
  const switchTriggers = async (state: 'disable' | 'enable') => {
    for (const name of named) await sql`alter table ${sql.id(table)} ${sql.raw(state)} trigger ${sql.id(name)}`.execute(trx)
  }
  return {
    triggers: named,
    drop: async () => {
      for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(trx)
      for (const key of foreignKeys) await sql`alter table ${sql.id(table)} drop constraint ${sql.id(key.name)}`.execute(trx)
      await switchTriggers('disable')
    },
    restore: async () => {
      for (const index of indexes) await sql.raw(index.definition).execute(trx)
      for (const key of foreignKeys) await sql`alter table ${sql.id(table)} add constraint ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(trx)
      await switchTriggers('enable')
    },
    release: async () => {},
  }
}
