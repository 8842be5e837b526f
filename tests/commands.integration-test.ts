import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { testDialect } from '#shared/db'
import { cli } from './support/cli.ts'

/**
 * What an operator mistypes (found by a hostile-operator pass): each is one line on stderr and an
 * exit code, and writes nothing (no database file made for a path that held none).
 */
const root = inject('builtRoot')
const missing = () => join(root, `missing-${randomUUID()}`, 'tessera.db')
const oneLine = /^[^\n]+\n$/

describe("operators' mistakes (built server)", () => {
  it('refuses an unknown option instead of serving: exit 2', () => {
    for (const option of ['--version', '--bogus', '-v']) {
      const run = cli(root, [option], { env: { DATABASE_PATH: missing(), PORT: '0' } })
      expect([run.status, run.stderr]).toEqual([2, `Unknown option "${option}". Run with --help to list the commands and settings.\n`])
      expect(run.stdout).not.toContain('listening')
    }
    // A command's own --help: its usage, exit 0, no database.
    const help = cli(root, ['seed', '--help'], { env: { DATABASE_PATH: missing(), PORT: '0' } })
    expect([help.status, help.stdout]).toEqual([0, expect.stringMatching(/^Usage: seed \[--count N\][^\n]*\n$/)])
    const unknown = cli(root, ['bogus'], { env: { DATABASE_PATH: missing(), PORT: '0' } })
    expect([unknown.status, unknown.stderr]).toEqual([2, 'Unknown command "bogus". Run with --help to list the commands.\n'])
  })

  it('refuses to serve as development or test (a .env copied from a checkout): exit 1, one line naming NODE_ENV', () => {
    for (const mode of ['development', 'test']) {
      const path = missing()
      const run = cli(root, [], { env: { DATABASE_PATH: path, PORT: '0', NODE_ENV: mode } })
      expect([run.status, run.stderr]).toEqual([
        1,
        `Invalid configuration:\n  NODE_ENV: the built server runs as production only, not ${mode} (development: npm run dev)\nRun with --help to list every setting.\n`,
      ])
      expect(existsSync(path)).toBe(false)
    }
  })

  it('says .env, in one line, exit 1, when the working directory’s .env is a folder (not a stack trace); nothing made', () => {
    const folder = join(root, `dotenv-${randomUUID()}`)
    mkdirSync(join(folder, '.env'), { recursive: true })
    const database = join(folder, 'tessera.db')
    for (const args of [[], ['seed']]) {
      const run = spawnSync(process.execPath, [join(root, 'dist/server.js'), ...args], {
        cwd: folder,
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '', DATABASE_PATH: database, PORT: '0' },
      })
      expect([...args, run.status, run.stderr]).toEqual([
        ...args,
        1,
        `.env: cannot read ${join(folder, '.env')} (a folder, not a file): make it a file of NAME=value lines this user may read, or remove it.\n`,
      ])
    }
    expect(existsSync(database)).toBe(false)
  })

  it('backs up only a database that is there: a mistyped DATABASE_PATH is exit 1, and no file is made', () => {
    const path = missing()
    const run = cli(root, ['backup', join(root, `backup-${randomUUID()}.db`)], { env: { DATABASE_PATH: path } })
    expect([run.status, run.stderr]).toEqual([1, `DATABASE_PATH: no database at ${path} (is the path right?)\n`])
    expect(existsSync(path)).toBe(false)
  })

  it("refuses a backup's extra argument, a folder or an empty name for its file: exit 2; takes one of a real database", () => {
    const database = join(root, `commands-${randomUUID()}.db`)
    expect(cli(root, ['seed', '--count', '10'], { env: { DATABASE_PATH: database } }).status).toBe(0)
    const folder = join(root, `folder-${randomUUID()}`)
    mkdirSync(folder)
    for (const args of [['a.db', 'b.db'], [folder], ['']]) {
      const run = cli(root, ['backup', ...args], { env: { DATABASE_PATH: database } })
      expect(run.status, args.join(' ')).toBe(2)
      expect(run.stderr).toMatch(/^backup: [^\n]+\n$/)
    }
    expect(existsSync(join(root, 'a.db'))).toBe(false)
    const file = join(folder, 'backup.db')
    expect(cli(root, ['backup', file], { env: { DATABASE_PATH: database } }).status).toBe(0)
    const copy = new SQLite(file, { readonly: true })
    expect(copy.prepare('select count(*) as n from products').get()).toEqual({ n: 10 })
    copy.close()
    // Without a file: into `backups` beside the database (a container's volume), whatever the working directory.
    const run = cli(root, ['backup'], { env: { DATABASE_PATH: file } }) // the copy, in a folder of its own
    expect(run.status).toBe(0)
    const [, made] = /to (\S+) \(/.exec(run.stdout) ?? []
    expect(made).toMatch(new RegExp(`^${join(folder, 'backups')}/tessera-[-\\dTZ]+\\.db$`))
    expect(existsSync(made!)).toBe(true)
  })

  it('refuses create-admin without one email, or with a bad password, before opening the database: exit 2, no file', () => {
    for (const args of [[], ['not-an-email'], ['a@example.com', 'extra']]) {
      const path = missing()
      const run = cli(root, ['create-admin', ...args], { env: { DATABASE_PATH: path }, input: 'a long password\n' })
      expect(run.status, args.join(' ')).toBe(2)
      expect(run.stderr).toMatch(/^create-admin: [^\n]+\. Usage: create-admin <email>[^\n]+\n$/)
      expect(existsSync(path)).toBe(false)
    }
    // A password refused (too short, none, too long) is read before the database is opened: no admin made.
    const database = join(root, `commands-${randomUUID()}.db`)
    expect(cli(root, ['seed', '--count', '1'], { env: { DATABASE_PATH: database } }).status).toBe(0)
    for (const input of ['short\n', '', `${'x'.repeat(300)}\n`]) {
      const run = cli(root, ['create-admin', 'a@example.com'], { env: { DATABASE_PATH: database }, input })
      expect([input.length, run.status]).toEqual([input.length, 2])
      expect(run.stderr).toMatch(/^create-admin: the password: [^\n]+\.\n$/)
    }
    const store = new SQLite(database, { readonly: true })
    expect(store.prepare('select count(*) as n from users').get()).toEqual({ n: 0 })
    store.close()
  })

  it('refuses create-admin where DATABASE_PATH holds no database, before asking the password: exit 1, no file', () => {
    const path = missing()
    const run = cli(root, ['create-admin', 'a@example.com'], { env: { DATABASE_PATH: path }, input: 'a long password\n' })
    expect([run.status, run.stdout, run.stderr]).toEqual([1, '', `DATABASE_PATH: no database at ${path} (is the path right?)\n`])
    expect(existsSync(path)).toBe(false)
  })

  // util-linux's script(1) gives the command a terminal, as an operator typing would.
  it.skipIf(!existsSync('/usr/bin/script'))('asks create-admin’s password on a terminal without showing what is typed', () => {
    const database = join(root, `commands-${randomUUID()}.db`)
    expect(cli(root, ['seed', '--count', '1'], { env: { DATABASE_PATH: database } }).status).toBe(0)
    const command = `NODE_ENV=production DATABASE_PATH=${database} node ${join(root, 'dist/server.js')} create-admin typed@example.com`
    // The keys arrive after the prompt (3 s: a loaded machine takes over 1 s to reach it), ended by Enter as a terminal sends it.
    const run = spawnSync('sh', ['-c', `(sleep 3; printf 'a typed password\\r') | script -qec "${command}" /dev/null`], { encoding: 'utf8', timeout: 30_000 })
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^Password for typed@example\.com: \r?\n/)
    expect(run.stdout).toContain('Created admin typed@example.com')
    expect(run.stdout).not.toContain('a typed password')
  })

  it('refuses seed-orders on a database that is not there: exit 1, no file', () => {
    const path = missing()
    const run = cli(root, ['seed-orders', '--count', '5'], { env: { DATABASE_PATH: path } })
    expect([run.status, run.stderr]).toEqual([1, `DATABASE_PATH: no database at ${path} (is the path right?)\n`])
    expect(existsSync(path)).toBe(false)
  })
})

describe('a server that cannot listen (built server)', () => {
  let taken: Server
  let port: number
  beforeAll(async () => {
    taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    port = (taken.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())))
  const serve = (env: Record<string, string>) => {
    const database = join(root, `listen-${randomUUID()}.db`)
    const run = cli(root, [], { env: { DATABASE_PATH: database, HOST: '127.0.0.1', PORT: '0', ...env } })
    // Refused before the database is touched: no new store made, migrated and seeded.
    expect(existsSync(database)).toBe(false)
    return run
  }

  it('says which setting to change, in one line, and exits 1: PORT in use, METRICS_PORT in use, a HOST not of this machine', () => {
    const inUse = serve({ PORT: String(port) })
    expect([inUse.status, inUse.stderr]).toEqual([1, `PORT: 127.0.0.1:${port} is in use (another process listens there)\n`])
    const metrics = serve({ METRICS_PORT: String(port) })
    expect([metrics.status, metrics.stderr]).toEqual([1, `METRICS_PORT: 127.0.0.1:${port} is in use (another process listens there)\n`])
    const cluster = serve({ PORT: String(port), WORKERS: '2' }) // the primary stops, rather than replace a worker that cannot listen
    expect([cluster.status, cluster.stderr]).toEqual([1, `PORT: 127.0.0.1:${port} is in use (another process listens there)\n`])
    const host = serve({ HOST: '999.1.1.1' })
    expect(host.status).toBe(1)
    expect(host.stderr).toMatch(oneLine)
    expect(host.stderr).toMatch(/^HOST: cannot listen on "999\.1\.1\.1": not an address of this machine \(E[A-Z_]+\)\n$/)
  })

  it('says DATABASE_URL, in one line with the reason, exit 1, where PostgreSQL cannot be reached (never its password)', () => {
    for (const args of [[], ['seed', '--count', '5']]) {
      const run = cli(root, args, { env: { DATABASE_URL: 'postgres://shop:hunter22@127.0.0.1:1/shop', PORT: '0' } })
      expect([...args, run.status]).toEqual([...args, 1])
      expect(run.stderr).toBe(
        'DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:1 (database shop): connect ECONNREFUSED 127.0.0.1:1. Is it running, and does it accept this host?\n',
      )
    }
  })

  it('says DATABASE_PATH, in one line, exit 1, where no database can be: a folder, a file as its folder, under /proc', () => {
    const folder = join(root, `folder-${randomUUID()}`)
    mkdirSync(folder)
    // /proc/x/y.db made Node's recursive mkdir loop forever at 100 % CPU.
    for (const path of [folder, join(root, 'dist/server.js/x.db'), '/proc/tessera-x/y.db']) {
      for (const args of [[], ['seed', '--count', '5']]) {
        const run = cli(root, args, { env: { DATABASE_PATH: path, PORT: '0' } })
        expect([path, ...args, run.status]).toEqual([path, ...args, 1])
        expect(run.stderr).toMatch(new RegExp(`^DATABASE_PATH: cannot open a database at ${path.replaceAll('.', '\\.')} \\([^\\n]+\\)\\. [^\\n]+\\n$`))
      }
    }
  })
})

describe.runIf(testDialect === 'sqlite' && process.getuid?.() === 0)('a database this user may not write (built server, run as nobody)', () => {
  it('says DATABASE_PATH, in one line, exit 1, for the server and for a cluster, not a migration’s stack', (ctx) => {
    const asNobody = (args: string[], env: Record<string, string>, cwd = root) =>
      spawnSync(process.execPath, [join(root, 'dist/server.js'), ...args], {
        cwd,
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '', ...env },
      })
    const rootMode = statSync(root).mode
    chmodSync(root, 0o755) // nobody may read the build
    // Its dependencies are the checkout's (linked): in a checkout only root may enter (a clone in a mktemp folder), nobody cannot run it.
    if (asNobody(['--help'], {}).status !== 0) {
      chmodSync(root, rootMode)
      ctx.skip()
    }
    const folder = join(root, `read-only-${randomUUID()}`)
    mkdirSync(folder)
    const database = join(folder, 'shop.db')
    expect(cli(root, ['seed', '--count', '5'], { env: { DATABASE_PATH: database } }).status).toBe(0)
    // Its folder is nobody's (SQLite makes its -wal and -shm files there), the file itself read-only.
    chownSync(folder, 65534, 65534)
    chmodSync(database, 0o444)
    try {
      for (const workers of ['1', '2']) {
        const run = asNobody([], { DATABASE_PATH: database, PORT: '0', WORKERS: workers }, folder)
        expect([workers, run.status, run.stderr]).toEqual([
          workers,
          1,
          `DATABASE_PATH: cannot write the database at ${database} (attempt to write a readonly database). Is it a file in a folder this user may write?\n`,
        ])
      }
    } finally {
      chmodSync(root, rootMode)
    }
  })
})

describe.runIf(testDialect === 'postgres')("operators' mistakes on PostgreSQL (built server)", () => {
  const server = process.env.TESSERA_TEST_POSTGRES_URL!
  const withUrl = (change: (url: URL) => void) => {
    const url = new URL(server)
    change(url)
    return url.href
  }

  it('says what PostgreSQL refused, in one line, exit 1: a database that does not exist', () => {
    const run = cli(root, [], { env: { DATABASE_URL: withUrl((url) => (url.pathname = '/no_such_shop')), PORT: '0' } })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(
      /^DATABASE_URL: PostgreSQL at [^\n]+ \(database no_such_shop\) refused the connection: database "no_such_shop" does not exist\.\n$/,
    )
  })

  it('names the missing privilege when the role may not CREATE in its schema (PostgreSQL 15 for a role not owning the database)', async () => {
    const role = `shop_${randomUUID().replaceAll('-', '')}`
    const admin = new pg.Client({ connectionString: server })
    await admin.connect()
    try {
      await admin.query(`create role ${role} login password 'shop password'`)
      await admin.query(`create schema ${role}`) // owned by the administrator: the role may only use it
      await admin.query(`grant usage on schema ${role} to ${role}`)
      const url = withUrl((url) => {
        url.username = role
        url.password = 'shop password'
        url.searchParams.set('options', `-c search_path=${role}`)
      })
      const run = cli(root, [], { env: { DATABASE_URL: url, PORT: '0' } })
      expect(run.status).toBe(1)
      expect(run.stderr).toContain(`Migrations could not start: permission denied for schema ${role} (the database user needs CREATE on its schema`)
      expect(run.stderr).not.toContain('shop password')
    } finally {
      await admin.query(`drop schema if exists ${role} cascade`)
      await admin.query(`drop role if exists ${role}`)
      await admin.end()
    }
  })
})
