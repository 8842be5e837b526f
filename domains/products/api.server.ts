import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { HttpError, idText, revalidateTag, validate, type AppEnv } from '#shared/http'
import { adminOnly } from '../auth/index.ts'
import { createProduct, deleteProduct, updateProduct } from './admin.server.ts'
import { CATALOGUE_TAG, productTag } from './cache-tags.ts'
import { findProduct } from './catalogue.server.ts'
import { listProducts } from './listing.server.ts'
import { listQuery, productInput, productPatch } from './schemas.ts'

const idParam = z.object({ id: idText })
const noSuchProduct = () => new HttpError(404, 'not_found', 'No such product.')

/** Drops every cached page that shows the catalogue or this product, on every process. */
export async function productChanged(c: Context<AppEnv>, id: number): Promise<void> {
  await Promise.all([revalidateTag(c, CATALOGUE_TAG), revalidateTag(c, productTag(id))])
}

/** `/api/products`: the catalogue for any client; changes for admins only. */
export const productsApi = new Hono<AppEnv>()
  .get('/', validate('query', listQuery), async (c) => c.json(await listProducts(c.var.db, c.req.valid('query'))))
  .get('/:idOrSlug', async (c) => {
    const product = await findProduct(c.var.db, c.req.param('idOrSlug'))
    if (!product) throw noSuchProduct()
    return c.json(product)
  })
  .post('/', adminOnly(), validate('json', productInput), async (c) => {
    const product = await createProduct(c.var.db, c.req.valid('json'))
    await productChanged(c, product.id)
    return c.json({ product }, 201)
  })
  .patch('/:id', adminOnly(), validate('param', idParam), validate('json', productPatch), async (c) => {
    const { id } = c.req.valid('param')
    const product = await updateProduct(c.var.db, id, c.req.valid('json'))
    if (!product) throw noSuchProduct()
    await productChanged(c, id)
    return c.json({ product })
  })
  .delete('/:id', adminOnly(), validate('param', idParam), async (c) => {
    const { id } = c.req.valid('param')
    if (!(await deleteProduct(c.var.db, id))) throw noSuchProduct()
    await productChanged(c, id)
    return c.body(null, 204)
  })
