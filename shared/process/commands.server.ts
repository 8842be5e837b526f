import { existsSync } from 'node:fs'
import { basename } from 'node:path'
import { isSea } from 'node:sea'
import { configHelp, type Config } from '#shared/config'
import { runMigrations, withoutQueryTimeout, type Db } from '#shared/db'
import { createLogger } from '#shared/log'
import type { EntryLoader } from './app-entry.ts'
import { connectConfiguredDatabase } from './open-database.server.ts'

/** An operator's command of a domain, e.g. `node dist/server.js create-admin you@example.com`. */
export async function runCommand(name: string, args: string[], { config, loadEntry }: { config: Config; loadEntry: EntryLoader }): Promise<void> {
  const log = createLogger({ level: 'warn', format: 'pretty', write: (line) => process.stderr.write(line) })
  const { entry, close } = await loadEntry()
  let db: Db | undefined
  try {
    const domains = await entry.loadDomains()
    const command = entry.commandsOf(domains)[name]
    if (!command) throw Object.assign(new Error(`Unknown command "${name}". Run with --help to list the commands.`), { exitCode: 2 })
    if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) return void console.log(`Usage: ${name} ${command.usage}`)
    // Before the database is opened: bad arguments, or a refused password, write nothing, not even a file.
    command.check?.(args)
    // Before anything is read from the operator: no password typed for a command bound to fail.
    if (command.existingDatabase && !config.DATABASE_URL && !existsSync(config.DATABASE_PATH))
      throw new Error(`DATABASE_PATH: no database at ${config.DATABASE_PATH} (is the path right?)`)
    const input = await command.read?.(args, { stdin: process.stdin })
    db = await connectConfiguredDatabase(config)
    if (command.migrate !== false) await runMigrations(db, entry.migrationsOf(domains), { warn: (message) => log.warn(message) })
    // An operator's command (a bulk load, a million rows) waits for its statements, however long.
    const open = db
    await withoutQueryTimeout(() => command.run(args, { db: open, config, log, stdin: process.stdin, input }))
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
    // A UsageError (bad arguments) carries 2; any other failure is 1.
    process.exitCode = err instanceof Error && 'exitCode' in err && typeof err.exitCode === 'number' ? err.exitCode : 1
  } finally {
    await db?.destroy()
    await close()
  }
}

/** `--help`: the commands every domain offers, then every setting. */
export async function printHelp(loadEntry: EntryLoader): Promise<void> {
  const { entry, close } = await loadEntry()
  const commands = Object.entries(entry.commandsOf(await entry.loadDomains()))
  await close()
  const usage = commands.map(([name, command]) => `  ${name} ${command.usage}`).join('\n')
  const self = isSea() ? basename(process.execPath) : 'node dist/server.js'
  process.stdout.write(`Usage: ${self} [command]  (no command: serve)\n\nCommands:\n${usage || '  (none)'}\n\n${configHelp()}`)
}
