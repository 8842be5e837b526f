import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const projectRoot = resolve(import.meta.dirname, '../..')

/**
 * Builds the production server with the fixture domains into a fresh folder outside the repo, and
 * gives it a node_modules holding only the production dependencies (linked), as a host would
 * have after `npm ci --omit=dev`. Returns the folder; its `dist/server.js` is the artifact.
 */
export async function buildForTests(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tessera-built-'))
  const { VITEST: _, ...parentEnv } = process.env
  const env = { ...parentEnv, NODE_ENV: 'production', TESSERA_FIXTURES: '1', TESSERA_OUT_DIR: join(root, 'dist') }
  const vite = join(projectRoot, 'node_modules/vite/bin/vite.js')
  for (const args of [['build'], ['build', '--ssr', 'server.ts']]) {
    execFileSync(process.execPath, [vite, ...args, '--logLevel', 'warn'], { cwd: projectRoot, env, stdio: 'inherit' })
  }
  const { dependencies = {} } = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8'))
  for (const name of Object.keys(dependencies)) {
    const target = join(root, 'node_modules', name)
    await mkdir(join(target, '..'), { recursive: true })
    await symlink(join(projectRoot, 'node_modules', name), target, 'dir')
  }
  return root
}
