import { sql, type CompiledQuery } from 'kysely'
import { dialectOf, type Database, type Db } from './database.server.ts'

type Row = Record<string, string | number | null>

/**
 * Inserts rows, `batch` at a time, through one prepared statement (and one for the last, shorter
 * batch): Kysely builds the multi-row INSERT once and each batch binds new values, so a million
 * rows cost a million binds, not ten thousand query builds. Rows must all have the keys of the
 * first, in the same order. Use it inside a transaction. Returns the number of rows.
 * @example await insertMany(trx, 'products', rows)
 */
export async function insertMany(trx: Db, table: keyof Database & string, rows: Iterable<Row>, batch = 500): Promise<number> {
  const statements = new Map<number, CompiledQuery>()
  let pending: Row[] = []
  let inserted = 0
  const flush = async () => {
    const values = pending.flatMap((row) => Object.values(row))
    let statement = statements.get(pending.length)
    if (!statement) {
      // Compiled from the rows themselves, so the values' order is checked once against Kysely's.
      statement = (trx.insertInto(table) as unknown as { values(rows: Row[]): { compile(): CompiledQuery } }).values(pending).compile()
      if (statement.parameters.some((value, i) => value !== values[i]))
        throw new Error(`insertMany: rows of ${table} must all have the same keys in the same order`)
      statements.set(pending.length, statement)
    }
    await trx.executeQuery({ ...statement, parameters: values })
    inserted += pending.length
    pending = []
  }
  for (const row of rows) {
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
 * the load when it is built again. Only inside a transaction: should the load fail, the
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

/** PostgreSQL: drops the indexes no constraint owns (recreated from pg_get_indexdef), disables the triggers. */
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
  const named = found.map((trigger) => trigger.name)
  const switchTriggers = async (state: 'disable' | 'enable') => {
    for (const name of named) await sql`alter table ${sql.id(table)} ${sql.raw(state)} trigger ${sql.id(name)}`.execute(trx)
  }
  return {
    triggers: named,
    drop: async () => {
      for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(trx)
      await switchTriggers('disable')
    },
    restore: async () => {
      for (const index of indexes) await sql.raw(index.definition).execute(trx)
      await switchTriggers('enable')
    },
    release: async () => {},
  }
}
