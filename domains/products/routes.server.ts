import { definePage, readListingQuery, readPathId } from '#shared/domain'
import { z } from 'zod'
import { decodeCursor, encodeCursor } from '#shared/db'
import type { PageLink } from '#shared/ui'
import { blankAsAbsent, notFound, notFoundPastTheEnd, redirect, syncPageCache } from '#shared/http'
import { adminOnly } from '../auth/index.ts'
import { adminProductAction, productForm } from './admin-forms.ts'
import { adjustStock, createProduct, deleteProduct, slugFromName, updateProduct } from './admin.server.ts'
import { AVAILABILITY_TAG, CATALOGUE_TAG, productTag } from './cache-tags.ts'
import { featuredProducts, findProduct, findProductPage, listCategories, movedProductSlug } from './catalogue.server.ts'
import { listProductCards, listProducts } from './listing.server.ts'
import { searchLimitsOf } from './search-page.server.ts'
import { productsUrl, type View } from './products-url.ts'
import { sortKeyOf } from './listing-sql.server.ts'
import { SLUG_PATTERN } from './slug.ts'
import { listQuery, PAGE_SIZES, SORTS, toCard, type ListQuery, type ProductPage } from './schemas.ts'
import { productJsonLd } from './structured-data.ts'

/** Public catalogue pages: shared by anonymous visitors, dropped by a change to what they show. */
const catalogueCache = { maxAge: 60, staleWhileRevalidate: 3600 }

/**
 * The catalogue's and the admin list's query (their page size is the app's own): a bad value is a
 * 400 page. The search form's sort is blank for the view's default, as a form without JavaScript sends it.
 */
const catalogueQuery = listQuery.omit({ limit: true }).extend({ sort: blankAsAbsent(z.enum(SORTS)) })
const adminListQuery = listQuery.pick({ q: true, page: true, after: true, before: true })
const parseListQuery = (query: URLSearchParams) => ({ ...readListingQuery(catalogueQuery, query), limit: PAGE_SIZES.catalogue })

/** The view without what changes nothing: an empty search, the default sort (best match for a search, else newest). */
function plainView({ q, category, sort }: View): View {
  const byDefault = sort === undefined || sort === (q ? 'relevance' : 'newest') || (!q && sort === 'relevance')
  return { q: q || undefined, category, sort: byDefault ? undefined : sort }
}

/**
 * Where in the view the page is, as one parameter: none on the first page (however it was
 * reached), its number when numbered, else the position it was asked for (a `page` sent with
 * `after` or `before` never gets here: the listing refuses it, 400).
 */
function positionShown(asked: ListQuery, page: ProductPage<unknown>): PageLink | undefined {
  if (!page.links.previous) return undefined
  if (page.page !== null) return { page: page.page }
  // A cursor in its one spelling (`0123_045` is `123_45`), as the page's own links write it.
  const spelt = (cursor: string) => {
    const read = decodeCursor(cursor, sortKeyOf(asked.sort ?? 'newest').type)
    return read ? encodeCursor(read.key, read.id) : cursor
  }
  if (asked.after !== undefined) return { after: spelt(asked.after) }
  if (asked.before !== undefined) return { before: spelt(asked.before) }
  return asked.page === 'last' ? { page: 'last' } : undefined
}

export const productRoutes = [
  definePage({
    path: '/',
    page: () => import('./pages/home.page.tsx'),
    load: async ({ db }) => ({ featured: (await featuredProducts(db)).map(toCard), categories: await listCategories(db) }),
    head: () => ({ title: 'Tessera', description: 'Well-made things for every room.' }),
    // It shows products in stock only: one selling out or back in stock changes it too.
    cache: { ...catalogueCache, query: [], tags: (data) => [CATALOGUE_TAG, AVAILABILITY_TAG, ...data.featured.map((card) => productTag(card.id))] },
  }),
  definePage({
    path: '/products',
    page: () => import('./pages/products.page.tsx'),
    load: async ({ c, db, query }) => {
      const parsed = parseListQuery(query)
      const [result, categories] = await Promise.all([listProductCards(db, parsed, searchLimitsOf(c.var.config)), listCategories(db)])
      notFoundPastTheEnd(result.items, parsed)
      const categoryName = categories.find((category) => category.slug === parsed.category)?.name
      // A category there is not: a 404, not an empty listing search engines would index (and the page cache keep, per made-up slug).
      if (parsed.category && !categoryName) notFound('We could not find that category.')
      const view = { q: parsed.q, category: parsed.category, sort: parsed.sort }
      return { query: view, ...result, categories, ...(categoryName ? { categoryName } : {}), at: positionShown(parsed, result) }
    },
    head: (data) => {
      const view = plainView(data.query)
      // Each page of a listing titled apart (a tab, a bookmark, a search result): by its number, or,
      // deeper than numbers go, by the product it starts with.
      const first = data.items[0]
      const where = !data.links.previous ? '' : data.page !== null ? ` · Page ${data.page}` : first ? ` · From ${first.name}` : ''
      return {
        title: `${data.query.q ? `“${data.query.q}”` : (data.categoryName ?? 'All products')}${where} · Tessera`,
        description: `${data.total}${data.totalExact ? '' : '+'} products`,
        // One address per page: `?q=`, `?sort=newest` and a first page reached by `before` are `/products`.
        canonical: productsUrl(view, {}, data.at),
        // A search's results are not pages to be found by, nor an empty category, nor a page past the
        // numbered ones (any row can start one: endless near-copies whose boundaries move with the
        // catalogue); the numbered pages and the products (sitemap) are. Their links are followed.
        noindex: Boolean(data.query.q) || data.total === 0 || (data.page === null && data.links.previous !== null),
        // The pages around this one, as its Previous and Next links go (rel=prev/next).
        ...(data.links.previous ? { prev: productsUrl(view, {}, data.links.previous) } : {}),
        ...(data.links.next ? { next: productsUrl(view, {}, data.links.next) } : {}),
      }
    },
    // Tagged with the products it shows: a sale drops the listings showing that product, not all.
    cache: {
      ...catalogueCache,
      query: ['q', 'category', 'sort', 'page', 'after', 'before'],
      tags: (data) => [CATALOGUE_TAG, ...data.items.map((card) => productTag(card.id))],
    },
  }),
  definePage({
    path: '/products/:slug',
    page: () => import('./pages/product.page.tsx'),
    load: async ({ db, params }) => {
      // Only a slug can name a product (a NUL, say, never reaches the database).
      const known = SLUG_PATTERN.test(params.slug)
      // Slugs are lowercase: `Mug-Large` typed or linked in capitals is the product's page, moved for good.
      const lower = params.slug.toLowerCase()
      if (!known && lower !== params.slug && SLUG_PATTERN.test(lower)) redirect(`/products/${lower}`, 301)
      const page = known ? await findProductPage(db, params.slug) : undefined
      if (page && page.product.slug === params.slug) return page
      // Its address before an admin changed the slug: moved for good, so links and search engines follow.
      const moved = known ? await movedProductSlug(db, params.slug) : undefined
      // Kept five minutes: an old slug may be taken again, or the product renamed back.
      if (moved) redirect(`/products/${moved}`, 301, { maxAge: 300 })
      notFound('We could not find that product.')
    },
    head: ({ product, category }) => ({
      title: `${product.name} · Tessera`,
      ...(product.description ? { description: summary(product.description, 160) } : {}),
      meta: [{ property: 'og:title', content: product.name }],
      ...(product.imageUrl ? { image: product.imageUrl } : {}),
      jsonLd: productJsonLd(product, category),
    }),
    cache: { ...catalogueCache, query: [], tags: (data) => [CATALOGUE_TAG, productTag(data.product.id)] },
  }),
  definePage({
    path: '/admin/products',
    page: () => import('./pages/admin-products.page.tsx'),
    use: [adminOnly()],
    load: async ({ c, db, query }) => {
      const { q = '', ...position } = readListingQuery(adminListQuery, query)
      const [result, categories] = await Promise.all([
        listProducts(db, { q: q || undefined, ...position, limit: PAGE_SIZES.admin, sort: q ? 'relevance' : 'newest' }, searchLimitsOf(c.var.config)),
        listCategories(db),
      ])
      notFoundPastTheEnd(result.items, position)
      return { q, ...result, categories, notice: query.has('deleted') ? 'Product deleted.' : null }
    },
    head: () => ({ title: 'Products · Admin · Tessera' }),
    action: {
      input: productForm,
      run: async ({ c, db }, input) => {
        const product = await createProduct(db, { ...input, priceCents: input.price })
        await syncPageCache(c) // this process's cached pages show the change at once
        redirect(`/admin/products/${product.id}?created`)
      },
    },
  }),
  definePage({
    path: '/admin/products/:id',
    page: () => import('./pages/admin-product.page.tsx'),
    use: [adminOnly()],
    load: async ({ c, db, params, query }) => {
      const product = await findProduct(db, readPathId(c, params.id, 'No such product.'))
      if (!product) notFound('No such product.')
      // What the last form did, said on the page it led to (without JavaScript nothing else says it).
      const notice = query.has('created') ? 'Product created.' : query.has('saved') ? 'Changes saved.' : null
      return { product, categories: await listCategories(db), notice }
    },
    head: ({ product }) => ({ title: `${product.name} · Admin · Tessera` }),
    action: {
      input: adminProductAction,
      run: async ({ c, db, params }, input) => {
        const id = readPathId(c, params.id, 'No such product.')
        if (input.intent === 'save') {
          const { version, stockShown, ...fields } = input
          // A stock left as the form showed it is not written: the sales since stay counted. A slug
          // cleared is made from the name again, as the field's placeholder says (the old one redirects).
          const slug = fields.slug ?? slugFromName(fields.name)
          const patch = { ...fields, slug, priceCents: input.price, stock: fields.stock === stockShown ? undefined : fields.stock }
          if (!(await updateProduct(db, id, patch, Date.now(), { updatedAt: version, stock: stockShown }))) notFound('No such product.')
          await syncPageCache(c)
          redirect(`/admin/products/${id}?saved`)
        } else if (input.intent === 'adjust-stock') {
          await adjustStock(db, id, input.delta)
        } else if (!(await deleteProduct(db, id))) {
          notFound('No such product.')
        }
        await syncPageCache(c)
        if (input.intent === 'delete') redirect('/admin/products?deleted')
      },
    },
  }),
]

/** `text` cut to at most `max` characters at a word's end (never inside a character, an emoji), with an ellipsis. */
function summary(text: string, max: number): string {
  const characters = [...text.replace(/\s+/g, ' ').trim()]
  if (characters.length <= max) return characters.join('')
  const cut = characters.slice(0, max - 1).join('')
  return `${cut.replace(/\s+\S*$/, '') || cut}…`
}
