import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { testDialect, type Db } from '#shared/db'
import { UsageError } from '#shared/domain'
import { createProduct } from './admin.server.ts'
import { listProducts } from './listing.server.ts'
import { catalogueProducts, generateCatalogue } from './generate-catalogue.ts'
import { productInput } from './schemas.ts'
import { parseSeedArgs, seedCommand } from './seed-command.server.ts'
import { seedCatalogue } from './seed.server.ts'
import { SLUG_PATTERN } from './slug.ts'
import { catalogueDb } from './test-db.ts'

const dir = mkdtempSync(join(tmpdir(), 'tessera-seed-'))
const dbs: Db[] = []
afterAll(async () => {
  for (const db of dbs) await db.destroy()
  rmSync(dir, { recursive: true, force: true })
})
/** A migrated catalogue: on SQLite in a temporary file (the bulk load and the WAL behave as on disk), on PostgreSQL a schema of its own. */
async function fileDb(name: string): Promise<Db> {
  const db = await catalogueDb(testDialect === 'postgres' ? undefined : join(dir, `${name}.db`))
  dbs.push(db)
  return db
}
/** Every table, index and trigger, as its database would make it again: what the bulk load takes off and must put back. */
const schema = (db: Db) =>
  (testDialect === 'postgres'
    ? sql<{ name: string; sql: string }>`
        select indexname as name, indexdef as sql from pg_indexes where schemaname = current_schema()
        union all
        select t.tgname, pg_get_triggerdef(t.oid) from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where not t.tgisinternal and c.relnamespace = to_regnamespace(current_schema())
        order by name`
    : sql<{ name: string; sql: string }>`select name, sql from sqlite_master where sql is not null order by name`
  )
    .execute(db)
    .then((r) => r.rows)
const contents = async (db: Db) => {
  const rows = await db
    .selectFrom('products')
    .innerJoin('categories', 'categories.id', 'products.category_id')
    .selectAll('products')
    .select('categories.slug as category')
    .orderBy('products.id')
    .execute()
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex')
}
/** Words of the generated text starting with `prefix`, as FTS5's unicode61 tokenizer splits them. */
const matches = (products: { name: string; description: string }[], prefix: string) =>
  products.filter((p) =>
    `${p.name} ${p.description}`
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .some((word) => word.startsWith(prefix)),
  ).length

describe('the generated catalogue', () => {
  it('is the same every time, and its first 1,000 are the catalogue the store has always seeded', () => {
    expect(generateCatalogue(3000)).toEqual(generateCatalogue(3000))
    expect(generateCatalogue(3000, 7)).not.toEqual(generateCatalogue(3000))
    // The draw of earlier versions, four repeated names now told apart by "No. 2": tests,
    // screenshots and benchmark results of before still describe it.
    expect(
      createHash('sha256')
        .update(JSON.stringify(generateCatalogue(1000)))
        .digest('hex'),
    ).toBe('0e64ed4722665257ecba86937f94619f15fd596c2f4c41562957dd7a3d9f76cd')
    expect(
      generateCatalogue(1000)
        .filter((p) => / No\. \d+$/.test(p.name))
        .map((p) => p.name),
    ).toEqual(['Urban Galvanised Planter No. 2', 'Trail Cashmere Scarf No. 2', 'Classic Bamboo Jump Rope No. 2', 'Studio Maple Puzzle No. 2'])
  })

  it('has unique names and slugs, at any size (300,000 here)', () => {
    const names = new Set<string>()
    const slugs = new Set<string>()
    let count = 0
    for (const product of catalogueProducts(300_000)) {
      names.add(product.name)
      slugs.add(product.slug)
      count++
    }
    expect(count).toBe(300_000)
    expect(names.size).toBe(count)
    expect(slugs.size).toBe(count)
  }, 30_000) // about a second alone; several on a machine busy with the other test files

  it('is a catalogue an admin could have typed: every product passes the product form’s schema', () => {
    for (const product of catalogueProducts(20_000)) {
      expect(SLUG_PATTERN.test(product.slug), product.slug).toBe(true)
      expect(productInput.safeParse({ ...product, imageUrl: null }).success, product.name).toBe(true)
    }
  })

  it('spreads over the ten categories, with common words and 2-letter prefixes that match many, and rare ones', () => {
    const products = generateCatalogue(20_000)
    const perCategory = new Map<string, number>()
    for (const p of products) perCategory.set(p.category, (perCategory.get(p.category) ?? 0) + 1)
    expect([...perCategory.values()]).toEqual(Array(10).fill(2000))
    expect(matches(products, 'mug')).toBeGreaterThan(150)
    expect(matches(products, 'ha')).toBeGreaterThan(2000)
    // Past the first 1,000, products name their maker: 2,000 makers, ~10 products each here.
    const makers = new Set(products.slice(1000).map((p) => / by (\w+)$/.exec(p.name)![1]))
    expect(makers.size).toBeGreaterThan(1900)
  })
})

describe('seedCatalogue', () => {
  it('fills an empty catalogue with N products, the same in two databases, searchable, with the schema as it was', async () => {
    const [first, second] = [await fileDb('first'), await fileDb('second')]
    const before = await schema(first)
    expect(await seedCatalogue(first, 5000)).toBe(5000)
    expect(await seedCatalogue(second, 5000)).toBe(5000)
    expect(await contents(first)).toBe(await contents(second))
    expect(await schema(first)).toEqual(before) // the indexes and search triggers are back
    expect((await listProducts(first, { page: 1, limit: 1 })).total).toBe(5000)

    // The search index was built over every product: the same matches as the text itself has.
    const generated = generateCatalogue(5000)
    for (const word of ['mug', 'ha', 'walnut', 'elgate'])
      expect((await listProducts(first, { q: word, page: 1, limit: 1 })).total, word).toBe(matches(generated, word))
    if (testDialect === 'sqlite') {
      await sql`insert into products_fts(products_fts) values ('integrity-check')`.execute(first)
      // Built in large pieces, kept in FTS5's default small ones after (a shopper's write must not hold 64 MB).
      const hashSize = await sql<{ v: number }>`select v from products_fts_config where k = 'hashsize'`.execute(first)
      expect(hashSize.rows.map((row) => row.v)).toEqual([1024 * 1024])
    }

    // And kept in step again afterwards (the triggers are back).
    const added = await createProduct(first, { name: 'Quokka Teapot', description: '', priceCents: 100, stock: 1, category: 'kitchen' })
    expect((await listProducts(first, { q: 'quokka', page: 1, limit: 5 })).items.map((p) => p.id)).toEqual([added.id])
  })

  it('writes nothing into a catalogue that has products', async () => {
    const db = await fileDb('twice')
    await seedCatalogue(db, 50)
    const before = await contents(db)
    expect(await seedCatalogue(db, 5000)).toBe(0)
    expect(await contents(db)).toBe(before)
  })
})

/** The seed command's run, as the server's command line calls it (it reads only the database). */
const runSeedCommand = (db: Db, args: string[]) => seedCommand.run(args, { db, config: {} as never, log: {} as never, stdin: process.stdin, input: undefined })

describe('the seed command', () => {
  it('reads --count N, or nothing (1,000)', () => {
    expect(parseSeedArgs([])).toEqual({})
    expect(parseSeedArgs(['--count', '1000000'])).toEqual({ count: 1_000_000 })
    expect(parseSeedArgs(['--count=5000'])).toEqual({ count: 5000 })
  })

  it.each(
    [['--count', 'abc'], ['--count', '-5'], ['--count', '0'], ['--count', '2.5'], ['--count', '10000001'], ['--count'], ['--size', '5'], ['5000']].map(
      (args) => [args.join(' '), args] as const,
    ),
  )('refuses "%s" before the database is opened (check), exit 2', (_, args) => {
    expect(() => seedCommand.check!(args)).toThrow(UsageError)
  })

  it('with --count, refuses a catalogue that has products (exit 2) and writes nothing; without, leaves it alone (exit 0)', async () => {
    const db = await fileDb('command')
    await seedCatalogue(db, 20)
    const run = (args: string[]) => runSeedCommand(db, args)
    await expect(run(['--count', '100'])).rejects.toThrow(
      new UsageError('seed: the catalogue already has 20 products; --count fills an empty one (use a new DATABASE_PATH).'),
    )
    await expect(run([])).resolves.toBeUndefined()
    expect((await listProducts(db, { page: 1, limit: 1 })).total).toBe(20)
  })

  // Ten categories never reach autovacuum's 50 changes: without this, the planner guessed them.
  it.skipIf(testDialect !== 'postgres')('on PostgreSQL, leaves the products and the categories analyzed', async () => {
    const db = await catalogueDb()
    dbs.push(db)
    await runSeedCommand(db, ['--count', '200'])
    const { rows } = await sql<{ relname: string; reltuples: number }>`
      select relname, reltuples from pg_class
      where relname in ('products', 'categories') and relnamespace = to_regnamespace(current_schema())`.execute(db)
    // reltuples is -1 until a table is first analyzed (or vacuumed).
    expect(Object.fromEntries(rows.map((row) => [row.relname, Number(row.reltuples)]))).toEqual({ products: 200, categories: 10 })
  })
})
