import { loadConfig } from '#shared/config'
import { openDatabase, runMigrations, testDatabaseLocation, type Db } from '#shared/db'
import type { Domain } from '#shared/domain'
import { createLogger } from '#shared/log'
import { createApp, devAssets, loadDomains, migrationsOf } from '../../entry-server.tsx'

/**
 * The whole app in-process, with the fixture domains (and `extraDomains`) and a fresh in-memory
 * database. Logs go nowhere, or as JSON lines to `logTo`.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  { logTo, prepare, extraDomains = [] }: { logTo?: (line: string) => void; prepare?: (db: Db) => Promise<unknown>; extraDomains?: Domain[] } = {},
) {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: ':memory:', ...env })
  // On PostgreSQL, each statement's bound as the config says, as the server opens it (shared/process/open-database.server.ts).
  const db = openDatabase(config.DATABASE_PATH === ':memory:' ? await testDatabaseLocation() : config.DATABASE_PATH, {
    queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
  })
  const domains = [...(await loadDomains()), ...extraDomains]
  await runMigrations(db, migrationsOf(domains))
  await prepare?.(db) // before the domains start (the catalogue seeds itself only when empty)
  const log = logTo ? createLogger({ level: 'debug', format: 'json', write: logTo }) : createLogger({ level: 'silent' })
  const { app, close } = await createApp({ domains, db, config, log, assetsFor: devAssets('/entry.js', ['/style.css']) })
  return {
    app,
    db,
    close: async () => {
      await close()
      await db.destroy()
    },
  }
}

/** Reads a streamed body, noting when each chunk arrived (ms after the call). */
export async function timedChunks(response: Response): Promise<{ at: number; text: string }[]> {
  const start = performance.now()
  const chunks: { at: number; text: string }[] = []
  const decoder = new TextDecoder()
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push({ at: performance.now() - start, text: decoder.decode(chunk, { stream: true }) })
  }
  return chunks
}
