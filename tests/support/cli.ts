import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

/** `node dist/server.js <args>` of the test build at `root`, as an operator runs it, with only this environment (and PATH). */
export function cli(root: string, args: string[], { env = {}, input = '' }: { env?: Record<string, string>; input?: string } = {}) {
  const run = spawnSync(process.execPath, [join(root, 'dist/server.js'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 60_000,
  })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}
