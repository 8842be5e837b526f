import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'

const projectRoot = resolve(import.meta.dirname, '..')
let dir: string | undefined
let server: ServerProcess | undefined
afterAll(async () => {
  await server?.stop('SIGKILL')
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('npm run package', () => {
  it('makes one archive that runs on its own with node dist/server.js', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-package-test-'))
    execFileSync(process.execPath, [join(projectRoot, '.ci/package.mjs'), join(dir, 'tessera.tar.gz')], { cwd: projectRoot, stdio: 'ignore' })
    const host = join(dir, 'host')
    execFileSync('mkdir', ['-p', host])
    execFileSync('tar', ['-xzf', join(dir, 'tessera.tar.gz'), '-C', host])
    expect(existsSync(join(host, 'node_modules/better-sqlite3'))).toBe(true)
    expect(existsSync(join(host, 'node_modules/vite'))).toBe(false)
    expect(existsSync(join(host, 'domains'))).toBe(false) // no sources
    server = await startBuiltServer(host)
    const res = await fetch(`${server.url}/products`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('product-card')
  })
})
