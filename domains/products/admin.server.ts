import { recordInvalidations } from '#shared/cache'
import { isUniqueViolation, writeAlone, type Db } from '#shared/db'
import { HttpError } from '#shared/http'
import { CATALOGUE_TAG, productTag } from './cache-tags.ts'
import { findProduct } from './catalogue.server.ts'
import { MAX_STOCK, type Product, type ProductInput, type ProductPatch } from './schemas.ts'
import { slugify } from './slug.ts'
import { forgetSearches } from './search-page.server.ts'

/** A taken slug, on the slug field; one made from the name (the field left blank) is named, as the admin never saw it. */
const slugTaken = (derived?: string) => {
  const message = derived ? `The slug made from the name, “${derived}”, is taken: type another.` : 'That slug is taken.'
  return new HttpError(409, 'duplicate_slug', message, [{ path: ['slug'], message }])
}
const unknownCategory = () => new HttpError(400, 'unknown_category', 'No such category.', [{ path: ['category'], message: 'No such category.' }])

async function categoryId(db: Db, slug: string): Promise<number> {
  const row = await db.selectFrom('categories').select('id').where('slug', '=', slug).executeTakeFirst()
  if (!row) throw unknownCategory()
  return row.id
}

/**
 * Drops, when the caller's transaction commits, every cached page and search that shows the
 * catalogue or this product, on every process: recorded with the change, so a crash or a lost
 * connection between the two cannot leave other hosts showing the old catalogue. A request
 * handler calls `syncPageCache(c)` after the change to apply it here before answering.
 */
async function catalogueChanged(trx: Db, id: number): Promise<void> {
  await recordInvalidations(trx, { tags: [CATALOGUE_TAG, productTag(id)] })
}

/** Runs an admin's change in a transaction; this process forgets its searches once it commits. */
async function changeCatalogue<T>(db: Db, change: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(change)
  } finally {
    forgetSearches()
  }
}

/**
 * The slug made from a product's name. A name in another script (Ελληνικό, 陶瓷杯) is fine, but
 * has nothing to make an address from: refused on the slug field, for the admin to type one.
 */
export function slugFromName(name: string): string {
  const slug = slugify(name)
  if (slug) return slug
  const message = 'The name has no Latin letters or digits to make an address from: type a slug, e.g. greek-cup'
  throw new HttpError(400, 'invalid_input', `${message}.`, [{ path: ['slug'], message }])
}

/** Creates a product; its slug comes from the name unless given. A taken slug answers 409. */
export async function createProduct(db: Db, input: ProductInput, now = Date.now()): Promise<Product> {
  const slug = input.slug || slugFromName(input.name)
  try {
    return await changeCatalogue(db, async (trx) => {
      const { id } = await trx
        .insertInto('products')
        .values({
          slug,
          name: input.name,
          description: input.description,
          price_cents: input.priceCents,
          stock: input.stock,
          category_id: await categoryId(trx, input.category),
          image_url: input.imageUrl ?? null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      // Another product's old address, now this one's own.
      await trx.deleteFrom('product_old_slugs').where('slug', '=', slug).execute()
      await catalogueChanged(trx, id)
      return (await findProduct(trx, id))!
    })
  } catch (err) {
    throw isUniqueViolation(err) ? slugTaken(input.slug ? undefined : slug) : err
  }
}

/**
 * What an edit form saw when it was opened: the product's version (`updatedAt`; checkouts do not
 * change it) and its stock. A save is refused (409) when either has changed since, rather than
 * undoing another admin's changes, or the sales since, with what the form showed.
 */
export interface SeenProduct {
  updatedAt?: string
  stock?: number
}

/**
 * Changes some fields of a product; undefined when there is no such product. A new slug keeps the
 * old one leading to the product (product_old_slugs: its old address redirects), in the same transaction.
 */
export async function updateProduct(db: Db, id: number, patch: ProductPatch, now = Date.now(), seen: SeenProduct = {}): Promise<Product | undefined> {
  try {
    return await changeCatalogue(db, async (trx) => {
      // Renames of one product one at a time (hosts, workers): each reads the slug the last one left.
      if (patch.slug !== undefined) {
        await writeAlone(trx, `product-slug:${id}`)
        await keepOldSlug(trx, id, patch.slug)
      }
      const product = await writeProduct(trx, id, patch, now, seen)
      if (!product) throw noSuchProduct // rolls the slugs' bookkeeping back with it
      await catalogueChanged(trx, id)
      return product
    })
  } catch (err) {
    if (err === noSuchProduct) return undefined
    throw isUniqueViolation(err) ? slugTaken() : err
  }
}

const noSuchProduct = new Error('no such product')

/** Records the product's slug as an old one when `slug` replaces it; `slug` itself is nobody's old one any more. */
async function keepOldSlug(trx: Db, id: number, slug: string): Promise<void> {
  await trx.deleteFrom('product_old_slugs').where('slug', '=', slug).execute()
  await trx
    .insertInto('product_old_slugs')
    .columns(['slug', 'product_id'])
    .expression((eb) => eb.selectFrom('products').select(['slug', 'id']).where('id', '=', id).where('slug', '<>', slug))
    .onConflict((conflict) => conflict.column('slug').doUpdateSet((eb) => ({ product_id: eb.ref('excluded.product_id') })))
    .execute()
}

async function writeProduct(db: Db, id: number, patch: ProductPatch, now: number, seen: SeenProduct): Promise<Product | undefined> {
  let update = db
    .updateTable('products')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.slug !== undefined && { slug: patch.slug }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.priceCents !== undefined && { price_cents: patch.priceCents }),
      ...(patch.stock !== undefined && { stock: patch.stock }),
      ...(patch.category !== undefined && { category_id: await categoryId(db, patch.category) }),
      ...(patch.imageUrl !== undefined && { image_url: patch.imageUrl }),
      updated_at: now,
    })
    .where('id', '=', id)
  if (seen.updatedAt !== undefined) update = update.where('updated_at', '=', Date.parse(seen.updatedAt))
  if (seen.stock !== undefined && patch.stock !== undefined) update = update.where('stock', '=', seen.stock)
  const updated = await update.executeTakeFirst()
  if (updated.numUpdatedRows > 0n) return findProduct(db, id)
  const current = await findProduct(db, id)
  if (current) throw changedSince(current, seen)
  return undefined
}

/** Why a save found the product other than its form saw it. */
function changedSince(current: Product, seen: SeenProduct): HttpError {
  if (seen.updatedAt !== undefined && current.updatedAt !== seen.updatedAt) {
    return new HttpError(
      409,
      'product_changed',
      'Someone saved this product since you opened it. Reload the page to see their changes, or save again to replace them.',
    )
  }
  const message = `The stock is ${current.stock} now (sales since you opened this page). Type the new count again, or use Adjust stock.`
  return new HttpError(409, 'stock_changed', message, [{ path: ['stock'], message }])
}

/** Deletes a product; false when there was none. */
export async function deleteProduct(db: Db, id: number): Promise<boolean> {
  return changeCatalogue(db, async (trx) => {
    const result = await trx.deleteFrom('products').where('id', '=', id).executeTakeFirst()
    if (result.numDeletedRows === 0n) return false
    await catalogueChanged(trx, id)
    return true
  })
}

/**
 * Adds `delta` (may be negative) to the stock: never below 0, nor raised past MAX_STOCK, the range
 * a product's form takes (a stock that returns took past it may still be lowered); 404 for no
 * such product.
 */
export async function adjustStock(db: Db, id: number, delta: number, now = Date.now()): Promise<void> {
  await changeCatalogue(db, async (trx) => {
    const result = await trx
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '+', delta), updated_at: now }))
      .where('id', '=', id)
      // Lowering a stock that returns took past MAX_STOCK is fine; raising one past it is not.
      .where((eb) => (delta <= 0 ? eb(eb('stock', '+', delta), '>=', 0) : eb(eb('stock', '+', delta), '<=', MAX_STOCK)))
      .executeTakeFirst()
    if (result.numUpdatedRows > 0n) return catalogueChanged(trx, id)
    // Nothing changed: either there is no such product, or the stock would leave its range.
    const product = await trx.selectFrom('products').select('stock').where('id', '=', id).executeTakeFirst()
    if (!product) throw new HttpError(404, 'not_found', 'No such product.')
    const message = product.stock + delta < 0 ? 'Stock cannot go below zero' : `Stock cannot go above ${MAX_STOCK.toLocaleString('en')}`
    throw new HttpError(400, 'invalid_stock', `${message}.`, [{ path: ['delta'], message }])
  })
}
