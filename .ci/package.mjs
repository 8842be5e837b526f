// `npm run package [file]`: one archive an operator copies to a host and runs with
// `node dist/server.js`: the build, package.json, and exactly the production dependencies.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const archive = resolve(process.argv[2] ?? join(root, 'tessera.tar.gz'))
// better-sqlite3's sources and object files are not needed to run it: only its .node addon.
const buildLeftovers = /better-sqlite3\/(deps|src)(\/|$)|better-sqlite3\/build\/(Release\/(obj|obj\.target|\.deps|test_extension\.node)|deps)(\/|$)/

execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
const stage = mkdtempSync(join(tmpdir(), 'tessera-package-'))
try {
  // dist/tessera (npm run build:sea) is the other artifact: it needs none of this and stays out.
  const singleExecutable = join(root, 'dist', 'tessera')
  for (const file of ['dist', 'package.json', 'package-lock.json'])
    cpSync(join(root, file), join(stage, file), { recursive: true, filter: (source) => source !== singleExecutable })
  const packages = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' }).trim().split('\n').slice(1)
  for (const path of packages) {
    cpSync(path, join(stage, relative(root, path)), {
      recursive: true,
      dereference: true,
      filter: (source) => !source.slice(path.length).includes('/node_modules/') && !buildLeftovers.test(source),
    })
  }
  execFileSync('tar', ['-czf', archive, '-C', stage, '.'])
  console.log(`Packaged ${archive}: unpack it on the host and run \`node dist/server.js\` (Node 20, same OS and CPU as this build).`)
} finally {
  rmSync(stage, { recursive: true, force: true })
}
