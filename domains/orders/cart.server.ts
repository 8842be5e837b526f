import { hash } from 'node:crypto'
import type { ExpressionBuilder, OnConflictDatabase, OnConflictTables } from 'kysely'
import { isForeignKeyViolation, type Database, type Db } from '#shared/db'
import { HttpError } from '#shared/http'
import { formatPrice, getProductsByIds } from '../products/index.ts'
import { MAX_LINES } from './cart-limit.ts'
import type { Cart, CartLine } from './schemas.ts'

export { MAX_LINES }

export const MAX_QUANTITY = 99
/** A line's quantity plus the one being added, within MAX_QUANTITY (a CASE: SQLite's two-argument min() is PostgreSQL's least()). */
const addedWithinMax = (eb: ExpressionBuilder<OnConflictDatabase<Database, 'cart_items'>, OnConflictTables<'cart_items'>>) => {
  const sum = eb('cart_items.quantity', '+', eb.ref('excluded.quantity'))
  return eb.case().when(sum, '<', MAX_QUANTITY).then(sum).else(MAX_QUANTITY).end()
}

/** The cart of a user, or of a visitor's cart token, created when `create` is set. */
export async function findCartId(db: Db, owner: { userId: number } | { tokenHash: string }, create: boolean): Promise<number | undefined> {
  const query = db.selectFrom('carts').select('id')
  const find = () => ('userId' in owner ? query.where('user_id', '=', owner.userId) : query.where('token_hash', '=', owner.tokenHash)).executeTakeFirst()
  const row = await find()
  if (row || !create) return row?.id
  const now = Date.now()
  const [values, key] =
    'userId' in owner
      ? [{ user_id: owner.userId, token_hash: null }, 'user_id' as const]
      : [{ user_id: null, token_hash: owner.tokenHash }, 'token_hash' as const]
  // Two requests (hosts, workers) may create it at once: the second finds the first's.
  await db
    .insertInto('carts')
    .values({ ...values, created_at: now, updated_at: now })
    .onConflict((conflict) => conflict.column(key).doNothing())
    .execute()
  return (await find())!.id
}

/** The visitor carts of these token hashes, by hash (a hash whose cart is gone is missing). */
export async function visitorCartIds(db: Db, tokenHashes: readonly string[]): Promise<Map<string, number>> {
  if (tokenHashes.length === 0) return new Map()
  const rows = await db.selectFrom('carts').select(['id', 'token_hash']).where('token_hash', 'in', tokenHashes).execute()
  return new Map(rows.map((row) => [row.token_hash!, row.id]))
}

/** The cart's lines with today's names, prices and stock; totals in integer cents, computed here. */
export async function readCart(db: Db, cartId: number | undefined): Promise<Cart> {
  // Ordered, as SQLite's primary key read them: PostgreSQL's heap order moves a changed line last.
  const rows = cartId ? await db.selectFrom('cart_items').select(['product_id', 'quantity']).where('cart_id', '=', cartId).orderBy('product_id').execute() : []
  const products = new Map(
    (
      await getProductsByIds(
        db,
        rows.map((row) => row.product_id),
      )
    ).map((product) => [product.id, product]),
  )
  const items = rows.flatMap(({ product_id, quantity }) => {
    const product = products.get(product_id)
    if (!product) return []
    return [
      {
        productId: product.id,
        slug: product.slug,
        name: product.name,
        quantity,
        priceCents: product.priceCents,
        price: product.price,
        stock: product.stock,
        lineTotal: formatPrice(product.priceCents * quantity, product.currency),
      },
    ]
  })
  const totalCents = items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0)
  return { items, count: items.reduce((sum, item) => sum + item.quantity, 0), totalCents, total: formatPrice(totalCents), version: versionOf(items) }
}

/** A short digest of the lines, their quantities and prices, in product order: a cart's `version` (an order's lines give the version of the cart they came from). */
export function versionOf(items: readonly Pick<CartLine, 'productId' | 'quantity' | 'priceCents'>[]): string {
  const lines = items.map((item) => `${item.productId}x${item.quantity}@${item.priceCents}`).sort()
  return hash('sha256', lines.join(','), 'base64url').slice(0, 22)
}

/**
 * Adds to a line's quantity (a new line when there is none), within 1–99 and the stock, in the
 * cart `cartOf` gives: asked for only once the product and quantity are fine, so a refused add
 * makes no cart. One statement checks the limit as it writes: adds at once (two tabs, a double
 * click, several hosts) all count, and none takes a line past it. The product deleted, or the
 * cart merged into an account, by another request meanwhile (the line's foreign keys refuse
 * it): a 404 for the product, else the add goes once more to the cart `cartOf` gives now (for a
 * visitor whose cart was merged at a sign-in elsewhere: a new visitor cart, merged in turn into
 * the account at their next signed-in request; nothing is lost).
 */
export async function addItem(db: Db, cartOf: () => Promise<number>, productId: number, quantity: number): Promise<number> {
  const product = await productToPut(db, productId)
  const limit = lineLimit(product)
  if (quantity > limit) throw overLimit(quantity, product.stock)
  const add = (cartId: number) =>
    db.transaction().execute(async (trx) => {
      // Adds to one cart take turns (PostgreSQL: this row's lock; SQLite has one writer), so two at
      // once cannot both take the last free line.
      await trx.updateTable('carts').set({ updated_at: Date.now() }).where('id', '=', cartId).execute()
      if (!(await lineOf(trx, cartId, productId).executeTakeFirst()) && (await lineCount(trx, cartId)) >= MAX_LINES) throw cartFull()
      const added = await trx
        .insertInto('cart_items')
        .values({ cart_id: cartId, product_id: productId, quantity })
        .onConflict((conflict) =>
          conflict
            .columns(['cart_id', 'product_id'])
            .doUpdateSet((eb) => ({ quantity: eb('cart_items.quantity', '+', eb.ref('excluded.quantity')) }))
            .where((eb) => eb(eb('cart_items.quantity', '+', eb.ref('excluded.quantity')), '<=', limit)),
        )
        .returning('quantity')
        .executeTakeFirst()
      if (!added) {
        const held = (await lineOf(trx, cartId, productId).executeTakeFirst())?.quantity ?? 0
        throw overLimit(held + quantity, product.stock, held)
      }
      return cartId
    })
  try {
    return await add(await cartOf())
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err
    await productToPut(db, productId)
    return add(await cartOf())
  }
}

/**
 * Sets the quantity of a line the cart holds (a 404 for one it does not: a line removed in
 * another tab stays removed), within 1–99 and the stock.
 */
export async function setQuantity(db: Db, cartId: number | undefined, productId: number, quantity: number): Promise<void> {
  const product = await productToPut(db, productId)
  if (!cartId || !(await lineOf(db, cartId, productId).executeTakeFirst())) throw notInCart()
  if (quantity > lineLimit(product)) throw overLimit(quantity, product.stock)
  const { numUpdatedRows } = await db
    .updateTable('cart_items')
    .set({ quantity })
    .where('cart_id', '=', cartId)
    .where('product_id', '=', productId)
    .executeTakeFirst()
  if (numUpdatedRows === 0n) throw notInCart() // removed meanwhile
}

async function productToPut(db: Db, productId: number) {
  const [product] = await getProductsByIds(db, [productId])
  if (!product) throw new HttpError(404, 'not_found', 'No such product.', [{ path: ['productId'], message: 'No such product' }])
  return product
}

/** The most a line of this product may hold: one order's limit, or the stock if less. */
const lineLimit = (product: { stock: number }) => Math.min(MAX_QUANTITY, product.stock)

const lineOf = (db: Db, cartId: number, productId: number) =>
  db.selectFrom('cart_items').select('quantity').where('cart_id', '=', cartId).where('product_id', '=', productId)

/**
 * Why a line cannot hold `wanted`: more than one order takes (400), or than the stock (409). An
 * add refused for what the cart `held` already says so, and how many more fit: "Only 13 left"
 * alone contradicts the 5 the shopper typed when the cart holds 10.
 */
function overLimit(wanted: number, stock: number, held = 0): HttpError {
  const limit = Math.min(MAX_QUANTITY, stock)
  const room = held === 0 ? '' : limit > held ? `, and your cart holds ${held}: add ${limit - held} at most` : `, and your cart holds ${held} already`
  if (wanted > MAX_QUANTITY) {
    const message = `At most ${MAX_QUANTITY} of one product${room}`
    return new HttpError(400, 'too_many', `${message}.`, [{ path: ['quantity'], message }])
  }
  const message = stock ? `Only ${stock} left${room}.` : 'Sold out.'
  return new HttpError(409, 'insufficient_stock', message, [{ path: ['quantity'], message }])
}

const notInCart = () => new HttpError(404, 'not_found', 'That product is not in your cart.')
const cartFull = () =>
  new HttpError(409, 'cart_full', `Your cart holds ${MAX_LINES} different products, the most one order takes: check out or remove some first.`)

const lineCount = async (db: Db, cartId: number) =>
  Number(
    (
      await db
        .selectFrom('cart_items')
        .select((eb) => eb.fn.countAll().as('lines'))
        .where('cart_id', '=', cartId)
        .executeTakeFirstOrThrow()
    ).lines,
  )

export async function removeItem(db: Db, cartId: number, productId: number): Promise<void> {
  await db.deleteFrom('cart_items').where('cart_id', '=', cartId).where('product_id', '=', productId).execute()
}

/**
 * Moves a visitor's cart into another (the user's on sign-in, or a browser's oldest): quantities
 * add up (within 99), then it is gone. Never past MAX_LINES: a product the cart holds already
 * always joins its line, a new one only while there is room; what does not fit stays in the
 * visitor's cart (set aside for `setAsideFor`, when given: no longer its cookie's, so nothing of
 * it passes to whoever signs in next on that browser). Answers how many products stayed (0: the
 * cart is gone). Once, however many requests merge it at the same moment (tabs restored
 * together): each first claims the visitor's cart row, so on PostgreSQL the others wait, then
 * find it gone; then the cart merged into, so merges and adds into it at once count each other's
 * lines (the cart merged from is locked first, and a cart merged into is never merged from into
 * that one: no two merges wait for each other).
 */
export async function mergeCarts(db: Db, fromCartId: number, intoCartId: number, { setAsideFor }: { setAsideFor?: number } = {}): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable('carts').set({ updated_at: Date.now() }).where('id', '=', fromCartId).executeTakeFirst()
    if (claimed.numUpdatedRows === 0n) return 0 // merged by another request meanwhile
    await trx.updateTable('carts').set({ updated_at: Date.now() }).where('id', '=', intoCartId).execute()
    const held = new Set((await trx.selectFrom('cart_items').select('product_id').where('cart_id', '=', intoCartId).execute()).map((row) => row.product_id))
    let room = MAX_LINES - held.size
    const lines = await trx.selectFrom('cart_items').select(['product_id', 'quantity']).where('cart_id', '=', fromCartId).orderBy('product_id').execute()
    const moved: number[] = []
    for (const { product_id, quantity } of lines) {
      if (!held.has(product_id)) {
        if (room <= 0) continue
        room--
      }
      moved.push(product_id)
      await trx
        .insertInto('cart_items')
        .values({ cart_id: intoCartId, product_id, quantity })
        .onConflict((conflict) => conflict.columns(['cart_id', 'product_id']).doUpdateSet((eb) => ({ quantity: addedWithinMax(eb) })))
        .execute()
    }
    const left = lines.length - moved.length
    if (left === 0) {
      await trx.deleteFrom('carts').where('id', '=', fromCartId).execute()
      return 0
    }
    if (moved.length > 0) await trx.deleteFrom('cart_items').where('cart_id', '=', fromCartId).where('product_id', 'in', moved).execute()
    // Kept 30 days from now, as a visitor's cart from when it is made (purgeUnreachableVisitorCarts).
    if (setAsideFor !== undefined)
      await trx.updateTable('carts').set({ token_hash: null, set_aside_for: setAsideFor, created_at: Date.now() }).where('id', '=', fromCartId).execute()
    return left
  })
}

/**
 * Whether merging these carts into `intoCartId` would move anything: a cart with room takes
 * something (or drops an emptied cart), a full one only lines of products it holds already.
 * Read before `mergeCarts`, whose claim of both carts is a write: a cart kept full would
 * otherwise be written at every request for nothing. Read outside the merge's transaction, so a
 * line removed just after is seen by the next request, and one added just after still counts in
 * the merge's own check.
 */
export async function mergeWouldMove(db: Db, fromCartIds: readonly number[], intoCartId: number): Promise<boolean> {
  if (fromCartIds.length === 0) return false
  if ((await lineCount(db, intoCartId)) < MAX_LINES) return true
  const joining = await db
    .selectFrom('cart_items')
    .select('product_id')
    .where('cart_id', 'in', fromCartIds)
    .where('product_id', 'in', db.selectFrom('cart_items').select('product_id').where('cart_id', '=', intoCartId))
    .limit(1)
    .executeTakeFirst()
  return joining !== undefined
}

/** The oldest `limit` carts set aside for a user (what did not fit into theirs at sign-in). */
export async function setAsideCartIds(db: Db, userId: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('carts').select('id').where('set_aside_for', '=', userId).orderBy('id').limit(limit).execute()
  return rows.map((row) => row.id)
}

/** How many different products these carts hold, or all the carts set aside for a user. */
export async function productsIn(db: Db, carts: readonly number[] | { setAsideFor: number }): Promise<number> {
  if ('length' in carts && carts.length === 0) return 0
  const row = await db
    .selectFrom('cart_items')
    .select((eb) => eb.fn.count<number>('product_id').distinct().as('products'))
    .where('cart_id', 'in', 'length' in carts ? carts : db.selectFrom('carts').select('id').where('set_aside_for', '=', carts.setAsideFor))
    .executeTakeFirstOrThrow()
  return Number(row.products)
}

/**
 * Puts an unpaid order's lines back into its owner's cart (a declined card, an order that expired):
 * quantities add to what is there (within 99); products deleted since are left out.
 */
export async function returnToCart(db: Db, userId: number, lines: readonly { productId: number; quantity: number }[]): Promise<void> {
  const existing = new Set(
    (
      await getProductsByIds(
        db,
        lines.map((line) => line.productId),
      )
    ).map((product) => product.id),
  )
  const kept = lines.filter((line) => existing.has(line.productId))
  if (kept.length === 0) return
  const cartId = (await findCartId(db, { userId }, true))!
  // In product order, as merges and checkouts write a cart's lines: in another, two writers of the
  // same lines at once would wait for each other (PostgreSQL: a deadlock, one of them undone).
  for (const { productId, quantity } of kept.toSorted((a, b) => a.productId - b.productId)) {
    await db
      .insertInto('cart_items')
      .values({ cart_id: cartId, product_id: productId, quantity: Math.min(quantity, MAX_QUANTITY) })
      .onConflict((conflict) => conflict.columns(['cart_id', 'product_id']).doUpdateSet((eb) => ({ quantity: addedWithinMax(eb) })))
      .execute()
  }
}

/** Carts deleted per statement: a purge of many holds the write lock in short turns. */
const PURGE_BATCH = 1000

/**
 * Deletes visitors' carts made before `madeBefore` (their lines with them): their cookie has
 * expired, so no browser can reach them again. Carts set aside for an account go the same way,
 * 30 days after they were set aside. Through the index carts_owner_age (migration 007),
 * in batches. Answers how many went.
 */
export async function purgeUnreachableVisitorCarts(db: Db, madeBefore: number): Promise<number> {
  let purged = 0
  for (;;) {
    const { numDeletedRows } = await db.deleteFrom('carts').where('id', 'in', unreachableVisitorCartsQuery(db, madeBefore)).executeTakeFirst()
    purged += Number(numDeletedRows)
    if (numDeletedRows < BigInt(PURGE_BATCH)) return purged
  }
}

/** The next batch of them, oldest first: exported for query-plans.test.ts. */
export const unreachableVisitorCartsQuery = (db: Db, madeBefore: number) =>
  db.selectFrom('carts').select('id').where('user_id', 'is', null).where('created_at', '<', madeBefore).orderBy('created_at').limit(PURGE_BATCH)
