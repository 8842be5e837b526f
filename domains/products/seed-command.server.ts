import { settleBulkLoad } from '#shared/db'
import { readFlags, UsageError, wholeNumberFlag, type DomainCommand } from '#shared/domain'
import { seedCatalogue } from './seed.server.ts'

const USAGE = 'seed [--count N]'
export const MAX_SEED_COUNT = 10_000_000

/** `--count N`, a whole number from 1 to 10,000,000, or nothing; anything else is a UsageError (exit 2). */
export function parseSeedArgs(args: readonly string[]): { count?: number } {
  const { count } = readFlags(USAGE, args, ['count'])
  return count === undefined ? {} : { count: wholeNumberFlag(USAGE, 'count', count, 1, MAX_SEED_COUNT) }
}

/**
 * `npm run seed [-- --count N]`: N deterministic products (1,000 without --count) into an empty
 * catalogue. Without --count, a catalogue that has products is left alone (exit 0), as at
 * start-up; with --count it is a UsageError (exit 2): N products were asked for and cannot be.
 */
export const seedCommand: DomainCommand = {
  usage: '[--count N]   fill an empty catalogue with N deterministic products (default 1,000)',
  check: (args) => void parseSeedArgs(args),
  async run(args, { db }) {
    const { count } = parseSeedArgs(args)
    const started = Date.now()
    const added = await seedCatalogue(db, count)
    if (!added) {
      if (count === undefined) return void console.log('The catalogue already has products: nothing to do.')
      const { n } = await db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      throw new UsageError(`seed: the catalogue already has ${Number(n).toLocaleString('en')} products; --count fills an empty one (use a new DATABASE_PATH).`)
    }
    // SQLite's WAL file is the size of the data: folded into the database; PostgreSQL learns the
    // tables' statistics (the categories' too: ten rows never reach autovacuum's threshold).
    await settleBulkLoad(db, ['products', 'categories'])
    console.log(`Seeded ${added.toLocaleString('en')} products in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
  },
}
