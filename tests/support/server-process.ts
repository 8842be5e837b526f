import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { databaseEnv, testDatabaseLocation } from '#shared/db'

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Everything the process printed so far. */
  output(): string
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** Every server this test file started: tests/support/contract-setup.ts reads their output after the file. */
export const startedServers: ServerProcess[] = []

/** Starts `node dist/server.js` of a test build on a free port, as an operator would. */
export async function startBuiltServer(root: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(root, 'dist/server.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      ...(env.DATABASE_PATH || env.DATABASE_URL ? {} : databaseEnv(await testDatabaseLocation(root))),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (data) => (output += data))
  child.stderr!.on('data', (data) => (output += data))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL') // not left running after the test
      reject(new Error(`server did not start:\n${output}`))
    }, 15_000)
    child.stdout!.on('data', () => {
      const match = /"msg":"listening","url":"([^"]+)"/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!.replace('localhost', '127.0.0.1'))
      }
    })
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)))
  })
  const server: ServerProcess = {
    url,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal)
      return exited
    },
  }
  startedServers.push(server)
  return server
}

/**
 * `start(env)` for one test file: servers of the build at `root` with these defaults (the call's
 * env wins), each killed after the file's tests whatever happened.
 */
export function serversFor(root: string, defaults: Record<string, string> = {}): (env?: Record<string, string>) => Promise<ServerProcess> {
  const servers: ServerProcess[] = []
  afterAll(() => Promise.all(servers.map((server) => server.stop('SIGKILL'))))
  return async (env = {}) => {
    const server = await startBuiltServer(root, { ...defaults, ...env })
    servers.push(server)
    return server
  }
}
