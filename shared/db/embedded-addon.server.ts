import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getAsset } from 'node:sea'

/**
 * better-sqlite3's native addon, carried by the single executable (`dist/tessera`, .ci/sea.mjs)
 * as an asset. A shared library loads only from a file: it is written once to
 * `<tmpdir>/tessera-<hash>/better_sqlite3.node`, named by its content's hash so two versions never
 * share a file, and loaded with `process.dlopen`. The build points better-sqlite3 here (vite.config.ts).
 * @example const addon = embeddedSqliteAddon() // in dist/tessera, what require('bindings')('better_sqlite3.node') returns
 */
export function embeddedSqliteAddon(): unknown {
  const bytes = Buffer.from(getAsset('better_sqlite3.node'))
  const hash = sha256(bytes).slice(0, 16)
  const dir = join(tmpdir(), `tessera-${hash}`)
  const file = join(dir, 'better_sqlite3.node')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  // Whoever can write to the folder can run code in this process: it must be ours alone.
  const stats = lstatSync(dir)
  if (!stats.isDirectory() || (process.getuid && stats.uid !== process.getuid()) || (stats.mode & 0o022) !== 0) {
    throw new Error(`Refusing to load the SQLite addon from ${dir}: not a folder of this user only. Remove it, or set TMPDIR elsewhere.`)
  }
  if (!existsSync(file) || sha256(readFileSync(file)).slice(0, 16) !== hash) {
    // Written beside, then renamed: a process starting at the same time never loads half a file.
    const partial = `${file}.${process.pid}`
    writeFileSync(partial, bytes, { mode: 0o700 })
    renameSync(partial, file)
  }
  const module = { exports: {} }
  process.dlopen(module, file)
  return module.exports
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
