import { execFileSync, spawnSync } from 'node:child_process'
import { cp, mkdtemp, readdir, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'

const projectRoot = resolve(import.meta.dirname, '..')
let copy: string
let server: ServerProcess | undefined

/** A copy of the project to generate into (node_modules linked, not copied). */
beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'tessera-scaffold-'))
  const skip = new Set(['node_modules', 'dist', '.git', 'data', 'bench'])
  await cp(projectRoot, copy, { recursive: true, filter: (source) => !skip.has(source.slice(projectRoot.length + 1).split('/')[0]!) })
  await symlink(join(projectRoot, 'node_modules'), join(copy, 'node_modules'), 'dir')
})
afterAll(async () => {
  await server?.stop('SIGKILL')
  if (copy) await rm(copy, { recursive: true, force: true })
})

const newDomain = (name: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'shared/scaffold/new-domain.server.ts', name], { cwd: copy, encoding: 'utf8' })
const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(command, args, { cwd: copy, encoding: 'utf8', env: { ...process.env, VITEST: '', NODE_ENV: '', ...env }, stdio: 'pipe' })

describe('npm run new-domain', () => {
  it.each([
    ['products', /already exists/],
    ['Gift_Cards', /not kebab-case/],
    ['api', /reserved/],
    ['api-docs', /reserved/],
    ['', /Usage/],
    // What another domain has already: its table (orders' cart_items), a page at its path.
    ['cart', /would make the table cart_items, which domains\/orders has/],
    ['checkout', /would answer \/checkout, which domains\/orders answers/],
  ])('refuses %j with a clear error and creates nothing', async (name, message) => {
    const before = await readdir(join(copy, 'domains'))
    const result = newDomain(name)
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(await readdir(join(copy, 'domains'))).toEqual(before)
  })

  // Six tools in a row on a copy of the project (tsc, depcruise, biome, vitest, two builds): ~20 s on an
  // idle 2-core machine, well past the suite's 30 s when other tests run beside it.
  it('creates a domain that typechecks, keeps the boundaries, passes its own tests, builds, and serves its page and API', { timeout: 120_000 }, async () => {
    const result = newDomain('gift-cards')
    expect(result.status).toBe(0)
    run('npx', ['tsc', '--noEmit'])
    run('npx', ['depcruise', '--config', '.dependency-cruiser.cjs', 'domains', 'shared'])
    run('npx', ['biome', 'check', 'domains/gift-cards'])
    expect(run('npx', ['vitest', 'run', '--project', 'unit', 'domains/gift-cards'])).toMatch(/4 passed/)
    run('npx', ['vite', 'build', '--logLevel', 'warn'], { NODE_ENV: 'production' })
    run('npx', ['vite', 'build', '--ssr', 'server.ts', '--logLevel', 'warn'], { NODE_ENV: 'production' })
    server = await startBuiltServer(copy)
    const page = await fetch(`${server.url}/gift-cards`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<h1>Gift Cards</h1>')
    expect(await (await fetch(`${server.url}/api/gift-cards`)).json()).toEqual({ items: [] })
    expect(await (await fetch(`${server.url}/`)).text()).toContain('href="/gift-cards"') // in the navigation
  })
})
