import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
} from 'kysely'
import { waitingForLocks } from './sqlite-lock-wait.server.ts'
import { noticingWriteFailures, type WriteHealth } from './sqlite-write-health.server.ts'

/**
 * The dialect's config, whether the connection is inside a transaction (for `waitingForLocks`),
 * and where its writes' outcomes go (for `isSqliteWritable`).
 */
export type TransactionalSqliteConfig = SqliteDialectConfig & { inTransaction: () => boolean; writes: WriteHealth }

/**
 * SQLite does roll back schema changes in a transaction, but Kysely's adapter says it does not, so
 * its migrator would run migrations bare. Saying so makes a failed migration leave no trace.
 */
export class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter()
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config)
  }

  // SqliteDialect keeps its config private; this copy is what createDriver needs.
  private readonly config: TransactionalSqliteConfig
  constructor(config: TransactionalSqliteConfig) {
    super(config)
    this.config = config
  }
}

/**
 * Transactions take the write lock when they begin (`BEGIN IMMEDIATE`). A plain `BEGIN` that
 * reads first and writes later fails with SQLITE_BUSY when another process wrote in between,
 * whatever the busy timeout; an immediate one waits its turn instead, without blocking the
 * process (`waitingForLocks`).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  private connection?: DatabaseConnection
  constructor(private readonly config: TransactionalSqliteConfig) {
    super(config)
  }

  // The driver has one connection (behind its lock), so one wrapper serves every acquisition.
  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection()
    this.connection ??= noticingWriteFailures(waitingForLocks(connection, this.config.inTransaction), this.config.inTransaction, this.config.writes)
    return this.connection
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  // SQLite ends a transaction itself on some errors (the disk full, an I/O error, RAISE(ROLLBACK)):
  // a ROLLBACK then fails with "no transaction is active", in place of the error that said why.
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.config.inTransaction()) await super.rollbackTransaction(connection)
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}
