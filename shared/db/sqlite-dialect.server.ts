import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver } from 'kysely'

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
