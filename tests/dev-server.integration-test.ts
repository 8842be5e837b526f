import { spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const projectRoot = resolve(import.meta.dirname, '..')
let copy: string
let dev: ChildProcess
let url: string
/** Everything the dev server has written (JSON log lines on stdout). */
let output = ''

/** `npm run dev` in a copy of the project, so the test can edit files freely. */
beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'tessera-dev-'))
  const skip = new Set(['node_modules', 'dist', '.git', 'data', 'bench'])
  await cp(projectRoot, copy, { recursive: true, filter: (source) => !skip.has(source.slice(projectRoot.length + 1).split('/')[0]!) })
  await symlink(join(projectRoot, 'node_modules'), join(copy, 'node_modules'), 'dir')
  dev = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: copy,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', TESSERA_FIXTURES: '1', LOG_FORMAT: 'json', DATABASE_PATH: join(copy, 'dev.db') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  url = await new Promise((resolve, reject) => {
    // A limit for a start that hangs, not a measure of speed: a fresh database is seeded first, ~20 s on a busy 2-core machine.
    const timer = setTimeout(() => reject(new Error(`dev server did not start:\n${output}`)), 60_000)
    dev.stderr!.on('data', (data) => (output += data))
    dev.stdout!.on('data', (data) => {
      output += data
      const match = /"url":"([^"]+)"/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
  })
}, 90_000)
afterAll(async () => {
  // Gone before its folder is: a dev server still stopping wrote Vite's cache into the removed copy, left in /tmp.
  if (dev && dev.exitCode === null && dev.signalCode === null) await new Promise((resolve) => dev.once('exit', resolve).kill('SIGTERM'))
  if (copy) await rm(copy, { recursive: true, force: true })
})

/** `node --import tsx server.ts <args>` in the copy, as `npm run seed` runs: its exit code and output. */
function command(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts', ...args], {
    cwd: copy,
    env: { PATH: process.env.PATH ?? '', TESSERA_FIXTURES: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (data) => (stdout += data))
  child.stderr!.on('data', (data) => (stderr += data))
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })))
}

async function edit(file: string, from: string, to: string) {
  const path = join(copy, file)
  const text = await readFile(path, 'utf8')
  expect(text).toContain(from)
  await writeFile(path, text.replace(from, to))
}

const text = async (path: string) => (await fetch(url + path)).text()

describe('npm run dev', () => {
  it('shows an edited page component without a restart', async () => {
    expect(await text('/demo')).toContain('<h1>Hello <!-- -->world</h1>')
    await edit('tests/fixtures/domains/demo/pages/counter.page.tsx', '<h1>Hello {data.greeting}</h1>', '<h1>Howdy {data.greeting}</h1>')
    await expect.poll(() => text('/demo'), { timeout: 10_000 }).toContain('<h1>Howdy <!-- -->world</h1>')
  })

  it('runs an edited API handler without a restart', async () => {
    expect(JSON.parse(await text('/api/demo/ping'))).toEqual({ pong: true })
    await edit('tests/fixtures/domains/demo/api.server.ts', '{ pong: true }', "{ pong: 'edited' }")
    await expect.poll(async () => JSON.parse(await text('/api/demo/ping')), { timeout: 10_000 }).toEqual({ pong: 'edited' })
  })

  it('names a misspelt slot file (once rendered nowhere, without a word) until it is renamed', async () => {
    const misspelt = join(copy, 'domains/orders/slots/product-action.slot.tsx')
    await writeFile(misspelt, 'export default function Hint() {\n  return <p>hint</p>\n}\n')
    await expect
      .poll(() => text('/demo'), { timeout: 10_000 })
      .toContain(
        'domains/orders/slots/product-action.slot.tsx fills the slot &#34;product-action&#34;, which no domain offers (did you mean &#34;product-actions&#34;? rename the file product-actions.slot.tsx)',
      )
    await rm(misspelt)
    await expect.poll(async () => (await fetch(`${url}/demo`)).status, { timeout: 10_000 }).toBe(200)
  })

  it('names a migration in a folder below migrations/ (never run: its table silently missing) until it is moved', async () => {
    const folder = join(copy, 'tests/fixtures/domains/demo/migrations/later')
    await mkdir(folder)
    await writeFile(join(folder, '002-add-title.server.ts'), 'export async function up() {}\n')
    await expect
      .poll(() => text('/demo'), { timeout: 10_000 })
      .toContain(
        'tests/fixtures/domains/demo/migrations/later/002-add-title.server.ts: a migration is a file directly in tests/fixtures/domains/demo/migrations/ (one in a folder below it would never run: move it to tests/fixtures/domains/demo/migrations/002-add-title.server.ts)',
      )
    await rm(folder, { recursive: true })
    await expect.poll(async () => (await fetch(`${url}/demo`)).status, { timeout: 10_000 }).toBe(200)
  })

  it('says so when a migration that ran is edited (it is not run again)', async () => {
    expect(await text('/demo/notes')).toContain('<h1')
    await edit(
      'tests/fixtures/domains/demo/migrations/001-create-notes.server.ts',
      ".addColumn('body', 'text', (col) => col.notNull())",
      ".addColumn('body', 'text', (col) => col.notNull())\n    .addColumn('title', 'text')",
    )
    await expect
      .poll(
        async () => {
          await text('/demo/notes') // the app is rebuilt, and migrations run, on a request
          return output
        },
        { timeout: 10_000 },
      )
      .toContain(
        'Migration demo/001-create-notes (tests/fixtures/domains/demo/migrations/001-create-notes.server.ts) was edited after it ran on this database, so the edit never runs here, while a new database runs the edited one: put the file back as it was and write the change as a new migration (or, to run it as it is now, stop the server and delete ' +
          join(copy, 'dev.db'),
      )
  })

  it("shows a failing loader's error on the error page (only the terminal said what went wrong)", async () => {
    const res = await fetch(`${url}/demo/boom`)
    expect(res.status).toBe(500)
    expect(await res.text()).toContain('loader exploded (a test of the error page) (shown in development only; the log has its stack)')
  })

  it('names a domain whose index.ts throws as it loads, and where, its message first (the stack folded away)', async () => {
    const folder = join(copy, 'tests/fixtures/domains/broken')
    await mkdir(folder)
    await writeFile(join(folder, 'index.ts'), "throw new Error('broken at import')\n")
    await expect
      .poll(() => text('/demo'), { timeout: 10_000 })
      .toMatch(
        /<h1>The app could not load<\/h1><pre>tests\/fixtures\/domains\/broken\/index\.ts could not be loaded: broken at import \(at tests\/fixtures\/domains\/broken\/index\.ts:1:\d+\)<\/pre>.*<details><summary>Stack<\/summary>/,
      )
    await rm(folder, { recursive: true })
    await expect.poll(async () => (await fetch(`${url}/demo`)).status, { timeout: 10_000 }).toBe(200)
  })

  it('says a stray page file once, not again at every rebuild, and again when it comes back', async () => {
    const pages = join(copy, 'tests/fixtures/domains/demo/pages')
    const warning = (name: string) => `tests/fixtures/domains/demo/pages/${name} is no page file`
    const said = (name: string) => output.split(warning(name)).length - 1
    const saidAfterRequest = async (name: string) => {
      await text('/demo') // the app is rebuilt on a request
      return said(name)
    }
    await writeFile(join(pages, 'extra.tsx'), 'export default function Extra() {\n  return null\n}\n')
    await expect.poll(() => saidAfterRequest('extra.tsx'), { timeout: 10_000 }).toBe(1)
    // Found at the start and at every rebuild since (this one included), said at the start only.
    expect(said('misnamed.pages.tsx')).toBe(1)
    // A rebuild without it (the second file says when it happened), then with it again: said again.
    await rm(join(pages, 'extra.tsx'))
    await writeFile(join(pages, 'other.tsx'), 'export default function Other() {\n  return null\n}\n')
    await expect.poll(() => saidAfterRequest('other.tsx'), { timeout: 10_000 }).toBe(1)
    await rm(join(pages, 'other.tsx'))
    await writeFile(join(pages, 'extra.tsx'), 'export default function Extra() {\n  return null\n}\n')
    await expect.poll(() => saidAfterRequest('extra.tsx'), { timeout: 10_000 }).toBe(2)
    expect(said('other.tsx')).toBe(1)
    expect(said('misnamed.pages.tsx')).toBe(1)
    await rm(join(pages, 'extra.tsx'))
  })

  it("starts without a warning that is not the developer's (Vite's deprecated server.hmr.server)", () => {
    expect(output).not.toContain('deprecated')
  })

  it("runs a command beside it (seed) without opening, or complaining about, an HMR WebSocket: Vite's port 24678 held elsewhere", async () => {
    // Held by the test, or already by someone else (another dev command): either way taken.
    const holder = createServer()
    await new Promise<void>((resolve) => holder.once('error', () => resolve()).listen(24678, '127.0.0.1', () => resolve()))
    try {
      const run = await command(['seed', '--count', '5'], { DATABASE_PATH: join(copy, 'beside.db') })
      expect(run.stderr).not.toMatch(/WebSocket|24678/)
      expect([run.status, run.stdout]).toEqual([0, expect.stringMatching(/^Seeded 5 products/)])
    } finally {
      holder.close()
    }
  })

  it('serves the client entry through Vite with React Refresh', async () => {
    const html = await text('/demo')
    expect(html).toContain('"entry":"/@tessera/dev-entry.js"') // loaded by the boot script after the paint
    const entry = await text('/@tessera/dev-entry.js')
    expect(entry).toContain('/@vite/client')
    expect(entry).toContain('/entry-client.tsx')
  })

  it("serves no file of the project but the browser's modules: no way out of /assets/, no server code (as production: 400, 404)", async () => {
    // fetch() resolves dot segments itself: the target goes as written.
    const statusOf = (target: string) =>
      new Promise<number>((resolve, reject) =>
        request(url + target, { path: target }, (res) => {
          res.resume()
          resolve(res.statusCode!)
        })
          .on('error', reject)
          .end(),
      )
    // A dot segment is a 400 (refuseDotSegments), a file Vite would have served a 404: as in production.
    for (const target of ['/assets/../package.json', '/assets/%2e%2e/package.json', '/assets/%2E%2E/package.json', '/shared/../package.json'])
      expect([target, await statusOf(target)]).toEqual([target, 400])
    for (const target of ['/package.json', '/server.ts', '/tests/fixtures/domains/demo/api.server.ts'])
      expect([target, await statusOf(target)]).toEqual([target, 404])
    expect(await statusOf('/entry-client.tsx')).toBe(200)
    expect(await statusOf('/tests/fixtures/domains/demo/pages/counter.page.tsx')).toBe(200)
  })

  it("answers OPTIONS as production does (405 with Allow, no CORS headers): Vite's CORS middleware answered every one 204", async () => {
    for (const path of ['/products', '/api/products']) {
      const res = await fetch(url + path, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' } })
      expect([path, res.status, res.headers.get('Allow'), res.headers.get('Access-Control-Allow-Origin')]).toEqual([
        path,
        405,
        path === '/products' ? 'GET, HEAD' : 'GET, HEAD, POST',
        null,
      ])
    }
  })
})
