import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A PostgreSQL server of our own, in a temporary directory, for tests and benchmarks. `pause()`
 * stops it and keeps its data; `resume()` starts it again on the same port (an outage).
 */
export type PostgresServer = { url: string; port: number; stop: () => Promise<void>; pause: () => Promise<void>; resume: () => Promise<void> }

const OS_USER = 'postgres' // initdb refuses root; Debian's package creates this user

/**
 * Starts a throwaway PostgreSQL: Debian's `postgresql` package (installed with apt when missing),
 * `initdb` in a temporary directory as the `postgres` OS user, on a free port of 127.0.0.1, with
 * trust authentication (nothing else can reach it). `stop()` stops it and removes the directory;
 * so does this process's exit, whatever ends it.
 * @example const pg = await startPostgres(); try { … pg.url … } finally { await pg.stop() }
 */
export async function startPostgres({ host = '127.0.0.1' } = {}): Promise<PostgresServer> {
  const bin = postgresBinaries()
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-'))
  chmodSync(dir, 0o777)
  const data = join(dir, 'data')
  const user = osUser()
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'], {
    ...user,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const port = await freePort()
  let server: ChildProcess | undefined
  let log = ''
  const launch = async () => {
    // Tests make a schema each: fsync off is safe for a server thrown away afterwards, and quick.
    server = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-h',
        host,
        '-k',
        dir,
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=500',
      ],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    server.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)))
    await waitUntilReady(bin, host, port, server, () => log)
  }
  const pause = async () => {
    if (server) await stopServer(server)
  }
  const stop = once(async () => {
    await pause()
    rmSync(dir, { recursive: true, force: true })
  })
  process.once('exit', () => {
    server?.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  try {
    await launch()
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `postgres://postgres@${host}:${port}/postgres`, port, stop, pause, resume: launch }
}

/** The newest installed PostgreSQL's bin directory, installing Debian's package if none is. */
function postgresBinaries(): string {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root) || readdirSync(root).length === 0) {
    console.log('PostgreSQL is not installed: apt-get install -y postgresql')
    execFileSync('apt-get', ['install', '-y', 'postgresql'], { stdio: 'inherit' })
  }
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0]
  return join(root, version!, 'bin')
}

async function waitUntilReady(bin: string, host: string, port: number, server: ChildProcess, log: () => string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL stopped at start-up:\n${log()}`)
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', host, '-p', String(port), '-q'])
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`PostgreSQL did not start within 20 s:\n${log()}`)
}

/** Fast shutdown (SIGINT: active connections are closed), then kill if it lingers. */
async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null) return
  const stopped = new Promise((resolve) => server.once('exit', resolve))
  server.kill('SIGINT')
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000)
  await stopped
  clearTimeout(timer)
}

/** The uid and gid to run PostgreSQL as: ours unless we are root (initdb refuses root). */
function osUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {}
  const id = (flag: string) => Number(execFileSync('id', [flag, OS_USER], { encoding: 'utf8' }).trim())
  return { uid: id('-u'), gid: id('-g') }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined
  return () => (done ??= action())
}
