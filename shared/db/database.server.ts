import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type DialectAdapter, type Driver } from 'kysely'

/**
 * The app's tables. Empty here on purpose: each domain adds its own tables by augmentation in a
 * `*.server.ts` file of its own, so shared/ never has to know a domain:
 *
 * @example
 * declare module '#shared/db' { interface Database { products: ProductsTable } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

export type Db = Kysely<Database>

/**
 * Opens the embedded SQLite database with the settings a web server needs: WAL so readers never
 * wait for the writer, a busy timeout so concurrent writers queue instead of failing, and
 * enforced foreign keys. All SQL goes through Kysely, so another dialect can be added later.
 * @example const db = openDatabase('data/tessera.db')
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new SQLite(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('synchronous = NORMAL')
  const statements = withStatementCache(sqlite)
  const db = new Kysely<Database>({ dialect: new TransactionalSqliteDialect({ database: statements }) })
  connections.set(db, { sqlite, statements })
  return db
}

/** Each database's SQLite connection, for `readAtOnce`. */
const connections = new WeakMap<Db, { sqlite: SQLite.Database; statements: StatementCache }>()

/**
 * Runs a read on the database's SQLite connection right away, without Kysely's driver: its
 * connection lock and promise hops cost ~5% of a catalogue page under load (measured), for
 * statements that run synchronously anyway. Safe only outside transactions, so it answers
 * undefined (and the caller goes through Kysely) when `db` is a transaction (whose own writes
 * must be seen), when a transaction is open on the connection (whose uncommitted writes must not
 * be: Kysely's lock makes the read wait for it), or when the SQL writes (`RETURNING` included).
 */
export function readAtOnce<Row>(db: Db, sql: string, parameters: readonly unknown[]): Row[] | undefined {
  const connection = connections.get(db)
  if (!connection || connection.sqlite.inTransaction) return undefined
  const statement = connection.statements.prepare(sql)
  return statement.readonly ? (statement.all(parameters) as Row[]) : undefined
}

/** True when the database answers a query: what `/readyz` asks. */
export async function isDatabaseReady(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db)
    return true
  } catch {
    return false
  }
}

/**
 * SQLite does roll back schema changes in a transaction, but Kysely's adapter says it does not, so
 * its migrator would run migrations bare. Saying so makes a failed migration leave no trace.
 */
class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter()
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config)
  }

  // SqliteDialect keeps its config private; this copy is what createDriver needs.
  private readonly config: ConstructorParameters<typeof SqliteDialect>[0]
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config)
    this.config = config
  }
}

/**
 * Transactions take the write lock when they begin (`BEGIN IMMEDIATE`). A plain `BEGIN` that
 * reads first and writes later fails with SQLITE_BUSY when another process wrote in between,
 * whatever the busy timeout; an immediate one waits its turn instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

/** The connection as Kysely's driver and `readAtOnce` see it: statements prepared once. */
type StatementCache = { close(): void; prepare(text: string): SQLite.Statement }

/**
 * Kysely's SQLite driver prepares every query's SQL again; preparing costs more than running a
 * small query. The same SQL text reuses its statement (least recently used beyond `max` go).
 * Safe: Kysely runs one query at a time on the connection.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): StatementCache {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text)
      if (statement) statements.delete(text)
      else statement = sqlite.prepare(text)
      statements.set(text, statement)
      if (statements.size > max) statements.delete(statements.keys().next().value!)
      return statement
    },
  }
}
