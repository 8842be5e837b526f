import { AsyncLocalStorage } from 'node:async_hooks'
import { Readable } from 'node:stream'
import { Kysely, PostgresDialect, sql, type DialectAdapter, type PostgresPool, type PostgresPoolClient } from 'kysely'
import { inChildSpan, tracingOn } from '#shared/tracing'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { COPY_FROM_STDIN, copyIn } from './copy-rows.postgres.server.ts'
import type { Database, Db } from './database.server.ts'

/** Connections per process when DATABASE_POOL_MAX is unset: a worker's share of a default server's 100. */
export const DEFAULT_POOL_MAX = 10

/** How long a query waits for its answer when DATABASE_QUERY_TIMEOUT_MS is unset. */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000

/**
 * How long an unused connection stays open (pg's own default closes it after 10 s). A new
 * connection's backend maps the shared memory it reads page by page: at a million products its
 * first search took 1.5–1.8 s against 0.2–0.4 s on a warm one, past SEARCH_TIMEOUT_MS at times. Kept
 * 5 minutes, a quiet store's searches find warm connections; the pool's places are counted in
 * max_connections whether open or not.
 */
export const DEFAULT_POOL_IDLE_TIMEOUT_MS = 300_000

/** A PostgreSQL pool's settings (DATABASE_POOL_MAX, DATABASE_QUERY_TIMEOUT_MS, DATABASE_POOL_IDLE_TIMEOUT_MS). */
export interface PostgresOptions {
  poolMax?: number
  queryTimeoutMs?: number
  /** 0: never closed for being idle. */
  idleTimeoutMs?: number
}

/** The message of a query that got no answer in time (pg's own). */
const QUERY_TIMED_OUT = 'Query read timeout'

/**
 * How much longer than the server's statement_timeout this side waits for an answer: the server
 * ends a slow statement itself and says so; only an answer that never comes (a silent network)
 * is given up on here.
 */
const QUERY_GRACE_MS = 5000

/** Each pooled connection's statement_timeout as last set (its start-up value until then). */
const statementTimeouts = new WeakMap<pg.PoolClient, number>()

const untimed = new AsyncLocalStorage<true>()

/**
 * Runs `work` with no query timeout: migrations and bulk loads, whose one statement (an index
 * over a million rows) may rightly take minutes.
 * @example await withoutQueryTimeout(() => migrator.migrateToLatest())
 */
export function withoutQueryTimeout<T>(work: () => Promise<T>): Promise<T> {
  return untimed.run(true, work)
}

/**
 * PostgreSQL's 64-bit integers (count(*), sums, bigint columns: milliseconds since 1970) and
 * numerics (a sum of bigints) as JavaScript numbers, as SQLite gives them: every value the app
 * keeps is an integer well below 2^53 (cents, counts, ids, times).
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return Number
    return pg.types.getTypeParser(oid, format)
  }) as typeof pg.types.getTypeParser,
}

/**
 * Opens a pool of connections to PostgreSQL. A connection that breaks while idle (the server
 * restarted) is dropped from the pool and the next query opens a new one, so the app recovers
 * by itself when the server is back; until then queries fail and /readyz says 503.
 *
 * A statement may take long (a lock held elsewhere), or its connection may go silent (the
 * network cut without a word: a failover to another address, a NAT forgetting it), waiting until
 * TCP gives up (~15 minutes) and holding a place in the pool. So each connection's
 * `statement_timeout` is `queryTimeoutMs` (0: none): the server itself ends a statement that runs
 * longer, so nothing of it commits after the request was answered 503, and its session stays
 * usable. A statement whose answer never comes (the network) fails `QUERY_GRACE_MS` later on this
 * side, and its connection is closed, not given back. See `withoutQueryTimeout`.
 * @example const db = openPostgres('postgres://tessera:secret@db:5432/tessera', { poolMax: 10 })
 */
export function openPostgres(
  url: string,
  { poolMax = DEFAULT_POOL_MAX, queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS, idleTimeoutMs = DEFAULT_POOL_IDLE_TIMEOUT_MS }: PostgresOptions = {},
): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    idleTimeoutMillis: idleTimeoutMs,
    types,
    connectionTimeoutMillis: 5000,
    allowExitOnIdle: true,
    keepAlive: true,
    ...(queryTimeoutMs ? { statement_timeout: queryTimeoutMs } : {}),
  })
  // Without a listener, an idle connection's error (the server went away) would end the process.
  pool.on('error', () => {})
  // pg-cursor: Kysely streams a query's rows through it (the sitemap's parts), never all at once.
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: tracedPool(pool, queryTimeoutMs), cursor: Cursor }) })
  // Keyed by the adapter: withPlugin() copies and transactions of this database share it.
  urls.set(db.getExecutor().adapter, url)
  pools.set(db.getExecutor().adapter, pool)
  return db
}

const urls = new WeakMap<DialectAdapter, string>()
const pools = new WeakMap<DialectAdapter, pg.Pool>()

const WRITABLE = `select current_setting('transaction_read_only') = 'off' as writable`

/** Probes that found the pool full share one connection of their own, rather than each opening one. */
const directChecks = new WeakMap<pg.Pool, Promise<boolean>>()

/** What each pool's last probe found: whether the database took writes. */
const lastFound = new WeakMap<pg.Pool, boolean>()

/**
 * True when the PostgreSQL server answers and takes writes (not a standby reached after a
 * failover): what `/readyz` asks. Through the pool while it has a connection to give; when every
 * connection is checked out (a busy host, not a database gone), a probe waiting for one would fail
 * after the pool's 5 s, and a load balancer would take out one busy host after another. So it asks
 * on a connection of its own, outside the pool: a busy host with a database that answers is ready;
 * a database that is down or silent still fails the probe.
 *
 * A new connection refused because the server is at its limit (`max_connections` taken by other
 * clients, a role's or database's `CONNECTION LIMIT`) is no failure of this host: the server
 * answered, and the pool's own connections serve its requests. While the pool has any, it is
 * ready as its last probe found (503 would only move its load onto hosts that are as full).
 */
export async function isPostgresWritable(db: Db): Promise<boolean> {
  const pool = pools.get(db.getExecutor().adapter)
  try {
    const writable = pool && isPoolFull(pool) ? await askOutsidePool(db, pool) : await askThroughPool(db)
    if (pool) lastFound.set(pool, writable)
    return writable
  } catch (err) {
    if (pool && isAtConnectionLimit(err) && pool.totalCount > 0) return lastFound.get(pool) ?? true
    throw err
  }
}

async function askThroughPool(db: Db): Promise<boolean> {
  const { rows } = await sql.raw<{ writable: boolean }>(WRITABLE).execute(db)
  return rows[0]?.writable === true
}

function askOutsidePool(db: Db, pool: pg.Pool): Promise<boolean> {
  let check = directChecks.get(pool)
  if (!check) {
    check = askDirectly(urls.get(db.getExecutor().adapter)!).finally(() => directChecks.delete(pool))
    directChecks.set(pool, check)
  }
  return check
}

/** Every connection the pool may open is open and checked out: a query now waits for one. */
const isPoolFull = (pool: pg.Pool) => pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? DEFAULT_POOL_MAX)

/** SQLSTATE 53300 too_many_connections: the server's, a role's or a database's limit reached. */
const isAtConnectionLimit = (err: unknown) => (err as { code?: unknown } | null)?.code === '53300'

/** False when the server cannot be reached or does not answer; a refusal at its connection limit is thrown (see above). */
async function askDirectly(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, query_timeout: 5000 })
  client.on('error', () => {})
  try {
    await client.connect()
    const { rows } = await client.query<{ writable: boolean }>(WRITABLE)
    return rows[0]?.writable === true
  } catch (err) {
    if (isAtConnectionLimit(err)) throw err
    return false
  } finally {
    void client.end().catch(() => {})
  }
}

/**
 * A connection of its own to the PostgreSQL database `db` was opened on (the same URL and type
 * parsing), outside its pool: for `LISTEN`, which needs one session for as long as it listens.
 * Connected when it resolves; the caller listens for its `error` and ends it.
 * @example const client = await openDedicatedConnection(db); client.on('notification', …); await client.query('listen jobs')
 */
export async function openDedicatedConnection(db: Db): Promise<pg.Client> {
  const url = urls.get(db.getExecutor().adapter)
  if (!url) throw new Error('openDedicatedConnection: not a PostgreSQL database opened by openDatabase()')
  const client = new pg.Client({ connectionString: url, types, connectionTimeoutMillis: 5000, keepAlive: true })
  await client.connect()
  return client
}

/**
 * With tracing on: each query in a span with its SQL (never its values) and the rows it returned
 * or changed, a child of whatever span asked for it (as SQLite's statements: statement-cache).
 */
function tracedPool(pool: pg.Pool, queryTimeoutMs: number): PostgresPool {
  return {
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect()
      // A connection cut while in use (the server stopped) fails its query, and also emits
      // 'error', which with no listener would end the process: the query's failure is enough.
      if (client.listenerCount('error') === 0) client.on('error', () => {})
      const run = client.query.bind(client) as (text: string, values: readonly unknown[]) => Promise<pg.QueryResult>
      // Closed after a query timed out: what else its holder sends (a transaction's rollback)
      // fails at once, rather than waiting as long again on a connection known to be silent.
      let closed = false
      const timed = async (text: string, values: readonly unknown[]) => {
        if (closed) throw new Error(QUERY_TIMED_OUT)
        const timeout = untimed.getStore() ? 0 : queryTimeoutMs
        // A migration or a command on a connection a request used, or the other way round.
        if ((statementTimeouts.get(client) ?? queryTimeoutMs) !== timeout) {
          await run(`set statement_timeout = ${timeout}`, [])
          statementTimeouts.set(client, timeout)
        }
        if (!timeout) return run(text, values)
        // pg reads `query_timeout` from a query's own config too (not in its types).
        return client.query({ text, values: [...values], query_timeout: timeout + QUERY_GRACE_MS } as pg.QueryConfig).catch((error: unknown) => {
          if (error instanceof Error && error.message === QUERY_TIMED_OUT && !closed) {
            closed = true
            client.release(true) // out of the pool, its socket destroyed (its query never ended)
          }
          throw error
        })
      }
      // insertMany's COPY (copy-rows.postgres.server.ts): its one parameter is the rows' text, streamed.
      const query = (text: string, values: readonly unknown[]) =>
        values[0] instanceof Readable && COPY_FROM_STDIN.test(text) ? copyIn(client, text, values[0]) : timed(text, values)
      return {
        release: (destroy?: boolean) => {
          if (!closed) client.release(destroy)
        },
        query: ((text: string, values: readonly unknown[]) =>
          // A cursor (streamed rows) goes as it is: its reads are not one query's time.
          typeof text !== 'string'
            ? run(text, values)
            : tracingOn()
              ? inChildSpan('sql', { 'db.system': 'postgresql', 'db.statement': text }, async (span) => {
                  const result = await query(text, values)
                  span.setAttribute('db.rows', result.rowCount ?? result.rows.length)
                  return result
                })
              : query(text, values)) as unknown as PostgresPoolClient['query'],
      }
    },
  }
}
