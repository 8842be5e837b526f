// `npm run build:sea` (after `npm run build`): dist/tessera, the store as one executable file, a
// Node single executable application. It is a copy of this `node` holding the server as one
// CommonJS script and, as assets, dist/client and better-sqlite3's addon (written to a file and
// loaded on first start: shared/db/embedded-addon.server.ts). Runs where this node runs: same OS,
// CPU and libc. TESSERA_OUT_DIR and TESSERA_FIXTURES work as for the build (vite.config.ts).
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const dist = resolve(root, process.env.TESSERA_OUT_DIR ?? 'dist')
const client = join(dist, 'client')
const addon = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')
const executable = join(dist, 'tessera')

// macOS and Windows also need the binary unsigned and signed again around the injection: not done here.
if (process.platform !== 'linux') throw new Error('npm run build:sea builds on Linux only; use `npm run package` elsewhere.')
if (!existsSync(join(client, '.vite/manifest.json'))) throw new Error(`${client} has no client build: run \`npm run build\` first.`)
const work = mkdtempSync(join(tmpdir(), 'tessera-sea-'))
try {
  const vite = join(root, 'node_modules/vite/bin/vite.js')
  const env = { ...process.env, NODE_ENV: 'production' }
  execFileSync(process.execPath, [vite, 'build', '--ssr', 'server.ts', '--mode', 'sea', '--outDir', work, '--logLevel', 'warn'], {
    cwd: root,
    env,
    stdio: 'inherit',
  })

  const assets = { 'better_sqlite3.node': addon }
  for (const file of readdirSync(client, { recursive: true })) {
    if (statSync(join(client, file)).isFile()) assets[`client/${file}`] = join(client, file)
  }
  const config = { main: join(work, 'server.cjs'), output: join(work, 'sea.blob'), disableExperimentalSEAWarning: true, useCodeCache: true, assets }
  writeFileSync(join(work, 'sea.json'), JSON.stringify(config))
  execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea.json')], { stdio: 'pipe' })

  // Injected into a copy beside it, then renamed over: a dist/tessera still running is not disturbed.
  const copy = `${executable}.partial`
  copyFileSync(process.execPath, copy)
  const postject = join(root, 'node_modules/postject/dist/cli.js')
  execFileSync(process.execPath, [postject, copy, 'NODE_SEA_BLOB', config.output, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], {
    stdio: 'pipe',
  }) // its warnings about ELF notes are harmless; a failure shows them
  chmodSync(copy, 0o755)
  renameSync(copy, executable)
  console.log(`Built ${executable} (${Math.round(statSync(executable).size / 1e6)} MB): copy it to a host like this one (OS, CPU, libc) and run it.`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
