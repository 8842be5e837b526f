import { spawn } from 'node:child_process'
import { accessSync, constants, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'

/** Where `pg_dump` is looked for: the PATH's folders, then Debian's versioned folders (newest first). */
export interface PgDumpSearch {
  path?: string
  debianRoot?: string
}

/**
 * A consistent backup of a live PostgreSQL database with `pg_dump` in its custom format (restore
 * with `pg_restore`): one snapshot, writers keep writing. `schema` limits it to the app's schema
 * when that is not `public`. Written beside `destination` and renamed when pg_dump succeeded, so a
 * failure leaves no partial copy. The password goes to pg_dump through PGPASSWORD, never on its
 * command line nor in a message. Throws, saying exactly how to back up by hand, when pg_dump is
 * not installed.
 * @example await backupPostgres('postgres://tessera:secret@db/tessera', 'backups/tessera.dump')
 */
export async function backupPostgres(url: string, destination: string, { schema, search }: { schema?: string; search?: PgDumpSearch } = {}): Promise<void> {
  const { target, password } = withoutPassword(url)
  const pgDump = findPgDump(search)
  if (!pgDump) throw new Error(howToBackUp(target, destination, schema))
  mkdirSync(dirname(destination), { recursive: true })
  const partial = `${destination}.partial`
  const args = ['--format=custom', `--file=${partial}`, ...(schema ? [`--schema=${schema}`] : []), `--dbname=${target}`]
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) }
  const { code, stderr } = await run(pgDump, args, env)
  if (code !== 0) {
    rmSync(partial, { force: true })
    throw new Error(`pg_dump (${pgDump}) failed, no backup written:\n${hide(stderr.trim(), password)}`)
  }
  renameSync(partial, destination)
}

/**
 * The URL without its password (pg_dump gets it from PGPASSWORD), and the password, decoded. Its
 * query is percent-encoded again: libpq reads `%20` as a space, not the `+` URLSearchParams writes
 * (`options=-c search_path=…`).
 */
function withoutPassword(url: string): { target: string; password: string | undefined } {
  const parsed = new URL(url)
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined
  parsed.password = ''
  parsed.search = [...parsed.searchParams].map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')
  return { target: parsed.href, password }
}

export function findPgDump({ path = process.env.PATH ?? '', debianRoot = '/usr/lib/postgresql' }: PgDumpSearch = {}): string | undefined {
  const onPath = path.split(delimiter).filter(Boolean)
  let versions: string[] = []
  try {
    versions = readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a))
  } catch {}
  const candidates = [...onPath, ...versions.map((version) => join(debianRoot, version, 'bin'))].map((dir) => join(dir, 'pg_dump'))
  return candidates.find(isExecutable)
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function howToBackUp(target: string, destination: string, schema: string | undefined): string {
  return [
    'pg_dump is not installed here (not on PATH, nor under /usr/lib/postgresql/<version>/bin): no backup written.',
    'Install PostgreSQL’s client tools (Debian/Ubuntu: apt-get install postgresql-client, the same major version as the server or newer), then run the backup again, or run pg_dump yourself:',
    `  PGPASSWORD='<the password in DATABASE_URL>' pg_dump --format=custom --file=${destination}${schema ? ` --schema=${schema}` : ''} '${target}'`,
    'Restore with pg_restore --dbname=<url> --clean --if-exists <file>, with the servers stopped.',
  ].join('\n')
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }))
  })
}

function hide(text: string, password: string | undefined): string {
  return password ? text.replaceAll(password, '***') : text
}
