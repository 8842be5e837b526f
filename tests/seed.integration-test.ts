import { createHash, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { cli as run } from './support/cli.ts'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'

const root = inject('builtRoot')
const servers: ServerProcess[] = []
afterAll(() => Promise.all(servers.map((server) => server.stop('SIGKILL'))))

/** `node dist/server.js <args>` as an operator runs it, against this database. */
const cli = (databasePath: string, args: string[], input = '') => run(root, args, { env: { DATABASE_PATH: databasePath }, input })
const newDatabase = () => join(root, `seed-${randomUUID()}.sqlite`)
function read<T>(path: string, query: string): T[] {
  const db = new SQLite(path, { readonly: true })
  try {
    return db.prepare(query).all() as T[]
  } finally {
    db.close()
  }
}
const fingerprint = (path: string, query: string) =>
  createHash('sha256')
    .update(JSON.stringify(read(path, query)))
    .digest('hex')
const count = (path: string, table: string) => read<{ n: number }>(path, `select count(*) as n from ${table}`)[0]!.n

describe('seed --count N (built server)', () => {
  const first = newDatabase()

  it('fills an empty catalogue with N products, the same in two databases, that the store then finds', async () => {
    const run = cli(first, ['seed', '--count', '5000'])
    expect(run, run.stderr).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Seeded 5,000 products in [\d.]+ s\.\n$/) })
    const second = newDatabase()
    expect(cli(second, ['seed', '--count', '5000']).status).toBe(0)
    const everyProduct = 'select * from products order by id'
    expect(fingerprint(first, everyProduct)).toBe(fingerprint(second, everyProduct))
    expect(count(first, 'products')).toBe(5000)
    expect(read<{ n: number }>(first, 'select count(distinct name) as n from products')[0]!.n).toBe(5000)

    // The store serves them, search included (the FTS index was built over all of them).
    const server = await startBuiltServer(root, { DATABASE_PATH: first, PAGE_CACHE_MAX_BYTES: '0' })
    servers.push(server)
    const expected = read<{ n: number }>(first, `select count(*) as n from products_fts where products_fts match '"mug"*'`)[0]!.n
    expect(expected).toBeGreaterThan(40)
    const mugs = (await (await fetch(`${server.url}/api/products?q=mug&limit=100`)).json()) as { total: number; items: { name: string }[] }
    expect(mugs.total).toBe(expected)
    const last = read<{ slug: string; name: string }>(first, 'select slug, name from products order by id desc limit 1')[0]!
    expect(await (await fetch(`${server.url}/products/${last.slug}`)).text()).toContain(last.name)
    await server.stop()
  })

  it('with --count, refuses a catalogue that has products: exit 2, one line, nothing written', () => {
    const before = fingerprint(first, 'select * from products order by id')
    const run = cli(first, ['seed', '--count', '10'])
    expect(run).toMatchObject({ status: 2, stderr: 'seed: the catalogue already has 5,000 products; --count fills an empty one (use a new DATABASE_PATH).\n' })
    expect(fingerprint(first, 'select * from products order by id')).toBe(before)
    // Without --count, as before: nothing to do, exit 0.
    expect(cli(first, ['seed'])).toMatchObject({ status: 0, stdout: 'The catalogue already has products: nothing to do.\n' })
  })

  it.each([['--count', 'abc'], ['--count', '-5'], ['--count', '1.5'], ['--count'], ['--cout', '5'], ['5000']].map((args) => [args.join(' '), args] as const))(
    'seed %s: exit 2, one line on stderr, no database written',
    (_, args) => {
      const path = newDatabase()
      const run = cli(path, ['seed', ...args])
      expect(run.status).toBe(2)
      expect(run.stderr).toMatch(/^seed: [^\n]+\n$/)
      expect(run.stdout).toBe('')
      expect(existsSync(path)).toBe(false)
    },
  )

  it('without --count, seeds the 1,000 products start-up seeds', () => {
    const path = newDatabase()
    expect(cli(path, ['seed'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Seeded 1,000 products/) })
    expect(count(path, 'products')).toBe(1000)
  })
})

describe('seed-orders --count N [--user email] (built server)', () => {
  it('adds N orders over every user, or all to one; an unknown user or bad arguments: exit 2, nothing written', () => {
    const path = newDatabase()
    expect(cli(path, ['seed', '--count', '2000']).status).toBe(0)
    expect(cli(path, ['create-admin', 'admin@example.com'], 'admin password\n').status).toBe(0)
    expect(cli(path, ['create-admin', 'second@example.com'], 'admin password\n').status).toBe(0)

    const run = cli(path, ['seed-orders', '--count', '3000'])
    expect(run, run.stderr).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Seeded 3,000 orders in [\d.]+ s\.\n$/) })
    expect(read(path, 'select user_id, count(*) as n from orders group by user_id')).toHaveLength(2)
    expect(read(path, 'select order_id from order_lines l where not exists (select 1 from products p where p.id = l.product_id)')).toEqual([])

    const ordersOfSecond = () =>
      read<{ n: number }>(path, "select count(*) as n from orders o join users u on u.id = o.user_id where u.email = 'second@example.com'")[0]!.n
    const before500 = ordersOfSecond()
    expect(cli(path, ['seed-orders', '--count', '500', '--user', 'second@example.com']).status).toBe(0)
    expect(ordersOfSecond()).toBe(before500 + 500)
    expect(count(path, 'orders')).toBe(3500)

    const before = fingerprint(path, 'select * from orders order by id')
    for (const args of [['--count', '5', '--user', 'nobody@example.com'], ['--count', 'x'], [], ['--count', '5', '--every']]) {
      const refused = cli(path, ['seed-orders', ...args])
      expect(refused.status, args.join(' ')).toBe(2)
      expect(refused.stderr).toMatch(/^seed-orders: [^\n]+\n$/)
    }
    expect(fingerprint(path, 'select * from orders order by id')).toBe(before)
  })

  it('--help lists both commands', () => {
    const help = cli(newDatabase(), ['--help'])
    expect(help.stdout).toContain('seed [--count N]')
    expect(help.stdout).toContain('seed-orders --count N [--user email]')
  })
})
