import { insertMany, reserveIds, seededRandom, settleBulkLoad, withIndexesDeferred, type Db } from '#shared/db'
import { readFlags, UsageError, wholeNumberFlag, type DomainCommand } from '#shared/domain'
import { userIds } from '../auth/index.ts'
import { productsForSeededOrders } from '../products/index.ts'
import { ORDER_COUNT_TRIGGERS, recountOrders } from './order-counts.server.ts'
import type { OrderStatus } from './tables.server.ts'

const USAGE = 'seed-orders --count N [--user email]'
const MAX_ORDERS = 10_000_000
/** Seeded orders buy from the first products by id: enough variety, and a bounded read. */
const PRODUCT_POOL = 10_000
/** Orders are generated and inserted this many at a time (with their lines), to bound memory. */
const CHUNK = 10_000
const EPOCH = Date.UTC(2026, 0, 1)
const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Mill Road', 'Park Avenue', 'Queen Street', 'Harbour Way', 'Orchard Close']
const CITIES = [
  ['Leeds', 'GB'],
  ['Bristol', 'GB'],
  ['Lyon', 'FR'],
  ['Porto', 'PT'],
  ['Utrecht', 'NL'],
  ['Portland', 'US'],
  ['Austin', 'US'],
  ['Toronto', 'CA'],
] as const

/** `--count N` (required, 1 to 10,000,000) and `--user email`; anything else is a UsageError (exit 2). */
export function parseSeedOrdersArgs(args: readonly string[]): { count: number; user?: string } {
  const { count, user } = readFlags(USAGE, args, ['count', 'user'])
  if (count === undefined) throw new UsageError(`seed-orders: --count is required. Usage: ${USAGE}`)
  return { count: wholeNumberFlag(USAGE, 'count', count, 1, MAX_ORDERS), ...(user === undefined ? {} : { user }) }
}

/**
 * Adds `count` deterministic orders (the same for the same users and catalogue): 1 to 4 lines of
 * distinct products at their prices, fulfilled, paid or cancelled, a minute apart up to
 * 2026-01-01, spread over every user or all for one. Never `pending`: that is a payment in
 * flight, which a job undoes within minutes; a seeded one would have none. In one transaction.
 * Throws a UsageError, having written nothing, when there is no product, no user, or no such user.
 */
export async function seedOrders(db: Db, { count, user }: { count: number; user?: string }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const products = await productsForSeededOrders(trx, PRODUCT_POOL)
    if (products.length === 0) throw new UsageError('seed-orders: the catalogue is empty; run seed first.')
    const users = await userIds(trx, user)
    if (users.length === 0)
      throw new UsageError(
        user === undefined ? 'seed-orders: there are no users; register one, or run create-admin, first.' : `seed-orders: no user has the email "${user}".`,
      )
    // Ids after every order there is or was (an undone order's id is never reused: jobs may name it).
    const first = await reserveIds(trx, 'orders', count)
    const next = seededRandom(7 + users.length * 31 + products.length)
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!
    // At least doubling the table: its indexes are built once after the load, which is faster
    // (a million orders: 20 s, not 38). A smaller load updates them as it goes instead of
    // rebuilding them over every order there is (10,000 more over a million: 0.2 s, not 2.5).
    const { existing } = await trx
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('existing'))
      .executeTakeFirstOrThrow()
    // The counts' triggers go with the indexes, and the counts are made once after.
    const deferIndexes =
      count >= Number(existing)
        ? async (load: () => Promise<void>) => {
            await withIndexesDeferred(trx, 'orders', ORDER_COUNT_TRIGGERS, load)
            await recountOrders(trx)
          }
        : (load: () => Promise<void>) => load()
    await deferIndexes(async () => {
      for (let start = 0; start < count; start += CHUNK) {
        const orders = []
        const lines = []
        for (let i = start; i < Math.min(count, start + CHUNK); i++) {
          const id = first + i
          const bought = new Map<number, { id: number; name: string; priceCents: number }>()
          const wanted = Math.min(products.length, 1 + Math.floor(next() ** 2 * 4))
          while (bought.size < wanted) {
            const product = pick(products)
            bought.set(product.id, product)
          }
          let total = 0
          for (const product of [...bought.values()].sort((a, b) => a.id - b.id)) {
            const quantity = 1 + Math.floor(next() ** 3 * 3)
            total += quantity * product.priceCents
            lines.push({ order_id: id, product_id: product.id, name: product.name, quantity, price_cents: product.priceCents })
          }
          const roll = next()
          const status: OrderStatus = roll < 0.7 ? 'fulfilled' : roll < 0.9 ? 'paid' : 'cancelled'
          const [city, country] = pick(CITIES)
          const shipping = {
            name: 'Seeded Shopper',
            line1: `${1 + Math.floor(next() * 200)} ${pick(STREETS)}`,
            city,
            postalCode: String(10000 + Math.floor(next() * 89999)),
            country,
          }
          const createdAt = EPOCH - (count - i) * 60_000
          orders.push({
            id,
            user_id: pick(users),
            status,
            total_cents: total,
            currency: 'USD',
            shipping: JSON.stringify(shipping),
            payment_ref: `seed_${id}`,
            created_at: createdAt,
            updated_at: createdAt,
          })
        }
        await insertMany(trx, 'orders', orders)
        await insertMany(trx, 'order_lines', lines)
      }
    })
    return count
  })
}

/** `node dist/server.js seed-orders --count N [--user email]`. */
export const seedOrdersCommand: DomainCommand = {
  usage: '--count N [--user email]   add N deterministic orders over every user (or one)',
  check: (args) => void parseSeedOrdersArgs(args),
  // Orders need the users and products of a store that is there.
  existingDatabase: true,
  async run(args, { db }) {
    const options = parseSeedOrdersArgs(args)
    const started = Date.now()
    const added = await seedOrders(db, options)
    await settleBulkLoad(db, ['orders', 'order_lines'])
    console.log(`Seeded ${added.toLocaleString('en')} orders in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
  },
}
