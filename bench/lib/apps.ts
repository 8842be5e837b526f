/**
 * The comparison apps in bench/apps/: each has its own package.json and lockfile, installed on
 * first use (and again when its lockfile changes), built on every run (the build is timed), then
 * started in production mode like Tessera.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

export type AppName = 'next' | 'vike' | 'react-router'

export interface PreparedApp {
  name: AppName
  port: number
  /** What the timed build ran, for the report. */
  builder: string
  buildMs: number
  /** The production server: no npm wrapper in between, so its pid is the one whose RSS counts. */
  command: string[]
  env: Record<string, string>
  /**
   * Where it starts, as `npm start` would start it: its own folder. react-router-serve finds its
   * static files there (its build names `build/client`, relative to the working directory).
   */
  cwd: string
}

const apps: Record<
  AppName,
  { builder: string; build: string[]; output: string; start: (dir: string, port: number) => { command: string[]; env: Record<string, string> } }
> = {
  next: {
    builder: 'next build',
    build: ['node_modules/next/dist/bin/next', 'build'],
    output: '.next',
    start: (dir, port) => ({
      command: ['node', join(dir, 'node_modules/next/dist/bin/next'), 'start', dir, '-p', String(port), '-H', '127.0.0.1'],
      env: { NEXT_TELEMETRY_DISABLED: '1' },
    }),
  },
  vike: {
    builder: 'vike build',
    build: ['node_modules/vike/bin.js', 'build'],
    output: 'dist',
    // Vike's built-in server reads PORT and HOST; React's externalised package needs NODE_ENV.
    start: (dir, port) => ({ command: ['node', join(dir, 'dist/server/index.mjs')], env: { PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' } }),
  },
  'react-router': {
    builder: 'react-router build',
    build: ['node_modules/@react-router/dev/bin.js', 'build'],
    output: 'build',
    // React Router's own production server (`react-router-serve`: Express, its request log on
    // stdout, which the benchmark discards), as its templates start it.
    start: (dir, port) => ({
      command: ['node', join(dir, 'node_modules/@react-router/serve/bin.js'), join(dir, 'build/server/index.js')],
      env: { PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    }),
  },
}

// Anonymous telemetry would try the network from a machine that has none.
const quiet = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }

function installIfNeeded(dir: string) {
  const installed = join(dir, 'node_modules/.package-lock.json') // npm writes it last
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(dir, 'package-lock.json')).mtimeMs) return
  console.log(`installing ${dir} (npm ci)…`)
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: quiet, stdio: ['ignore', 'inherit', 'inherit'] })
}

/** Installs the app when needed, builds it (timed), and says how to start it on `port`. */
export function prepareApp(root: string, name: AppName, port: number): PreparedApp {
  const dir = join(root, 'bench/apps', name)
  const app = apps[name]
  installIfNeeded(dir)
  // A clean build, like Tessera's: Next.js would otherwise reuse its cache in .next/cache.
  rmSync(join(dir, app.output), { recursive: true, force: true })
  const started = performance.now()
  execFileSync('node', app.build, { cwd: dir, env: { ...quiet, NODE_ENV: 'production' }, stdio: ['ignore', 'ignore', 'inherit'] })
  const buildMs = Math.round(performance.now() - started)
  return { name, port, builder: app.builder, buildMs, cwd: dir, ...app.start(dir, port) }
}
