import { Hono } from 'hono'
import { z } from 'zod'
import type { Db } from '#shared/db'
import { pathId } from '#shared/domain'
import { HttpError, LISTING_BAD_QUERY, operation, syncPageCache, type AppEnv } from '#shared/http'
import { createProduct, deleteProduct, updateProduct } from './admin.server.ts'
import { findProduct, movedProductSlug } from './catalogue.server.ts'
import { listProducts } from './listing.server.ts'
import { searchLimitsOf } from './search-page.server.ts'
import { listQuery, productInput, productPageSchema, productPatch, productSchema, type Product } from './schemas.ts'
import { NOT_ALL_DIGITS, SLUG_PATTERN } from './slug.ts'

/** The product an old slug of it led to, as its old page address does: a client may have kept the slug. */
async function findMovedProduct(db: Db, slug: string): Promise<Product | undefined> {
  const moved = await movedProductSlug(db, slug)
  return moved === undefined ? undefined : findProduct(db, moved)
}

const idParam = z.object({ id: pathId('The product’s id.') })
// One path per product (/api/products/{id}): reading it by its slug, the address of its page, works too.
const idOrSlugParam = z.object({
  id: z.union([pathId(), z.string().regex(SLUG_PATTERN).regex(NOT_ALL_DIGITS)]).meta({
    description:
      'The product’s id, or its slug (`/products/{slug}` is its page), or a slug it had before an admin changed it (the answer has the current one).',
  }),
})
const productBody = z.object({ product: productSchema })
const noSuchProduct = () => new HttpError(404, 'not_found', 'No such product.')

/** `/api/products`: the catalogue for any client; changes for admins only. */
export const productsApi = new Hono<AppEnv>()
  .get(
    '/',
    operation(
      {
        id: 'products.list',
        summary: 'List and search the catalogue',
        description:
          'A page of products: full-text search (`q`, ranked, prefix matching), a category, a sort. Page by `after`/`before` (from `links`), or `page`.',
        query: listQuery,
        responses: {
          200: productPageSchema,
          400: LISTING_BAD_QUERY,
          422: 'A search too broad to answer in SEARCH_TIMEOUT_MS (code search_too_broad): fewer or rarer words',
        },
      },
      async (c) => c.json(await listProducts(c.var.db, c.req.valid('query'), searchLimitsOf(c.var.config)), 200),
    ),
  )
  .get(
    '/:id',
    operation({ id: 'products.get', summary: 'One product', params: idOrSlugParam, responses: { 200: productSchema, 404: 'No such product' } }, async (c) => {
      const { id } = c.req.valid('param')
      const product = (await findProduct(c.var.db, id)) ?? (typeof id === 'string' ? await findMovedProduct(c.var.db, id) : undefined)
      if (!product) throw noSuchProduct()
      return c.json(product, 200)
    }),
  )
  .post(
    '/',
    operation(
      { id: 'products.create', summary: 'Add a product', access: 'admin', json: productInput, responses: { 201: productBody, 409: 'That slug is taken' } },
      async (c) => {
        const product = await createProduct(c.var.db, c.req.valid('json'))
        await syncPageCache(c) // this process's cached pages show the change at once
        return c.json({ product }, 201)
      },
    ),
  )
  .patch(
    '/:id',
    operation(
      {
        id: 'products.update',
        summary: 'Change a product',
        description: 'Only the fields sent change.',
        access: 'admin',
        params: idParam,
        json: productPatch,
        responses: { 200: productBody, 404: 'No such product', 409: 'That slug is taken' },
      },
      async (c) => {
        const { id } = c.req.valid('param')
        const product = await updateProduct(c.var.db, id, c.req.valid('json'))
        if (!product) throw noSuchProduct()
        await syncPageCache(c)
        return c.json({ product }, 200)
      },
    ),
  )
  .delete(
    '/:id',
    operation(
      { id: 'products.delete', summary: 'Remove a product', access: 'admin', params: idParam, responses: { 204: null, 404: 'No such product' } },
      async (c) => {
        const { id } = c.req.valid('param')
        if (!(await deleteProduct(c.var.db, id))) throw noSuchProduct()
        await syncPageCache(c)
        return c.body(null, 204)
      },
    ),
  )
