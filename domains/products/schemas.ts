import { z } from 'zod'
import { cursorText, integerJson, integerText, linkUrl, MAX_PAGE, pageLinksSchema, pagePosition, plainText } from '#shared/http'
import { characters, MAX_NUMBERED_PAGE } from '#shared/ui'
export { MAX_NUMBERED_PAGE }
import { MAX_SEARCH_LENGTH } from './products-url.ts'
import { PRODUCT_LIMITS } from './product-limits.ts'
import { SEARCH_WINDOW } from './search-window.ts'
import { NOT_ALL_DIGITS, SLUG_PATTERN } from './slug.ts'

export const SORTS = ['relevance', 'newest', 'price-asc', 'price-desc', 'name'] as const
export type Sort = (typeof SORTS)[number]

/** The page sizes the app asks for itself (an API client may ask for others, up to 100). */
export const PAGE_SIZES = { catalogue: 48, admin: 50, api: 24 } as const

/**
 * `GET /api/products` and the `/products` page: the URL holds the whole view. Where in it: a page
 * number (`page`, or `last`), or the row a page follows (`after`) or precedes (`before`).
 */
export const listQuery = z.object({
  // A control character (a NUL, which PostgreSQL's text refuses) is no part of a word: a space.
  q: z
    .string()
    .trim()
    .max(MAX_SEARCH_LENGTH)
    .transform((q) => q.replace(/\p{Cc}/gu, ' ').trim())
    .optional(),
  category: z.string().regex(SLUG_PATTERN, 'Not a category').optional(),
  sort: z.enum(SORTS).optional(),
  page: pagePosition(
    MAX_PAGE,
    `A page number, or \`last\`. A listing refuses numbers past ${MAX_NUMBERED_PAGE} (400 \`invalid_query\`): its deeper pages are found by position, so follow the answer's \`links\` (\`after\`, \`before\`). A search (\`q\`) numbers every page of its results (its ${SEARCH_WINDOW.toLocaleString('en')} best matches at most) and takes no \`after\` or \`before\`.`,
  ),
  after: cursorText,
  before: cursorText,
  limit: integerText({ min: 1, max: 100 }).default(PAGE_SIZES.api),
})
export type ListQuery = z.infer<typeof listQuery>

/** A product as the API shows it. */
export const productSchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    priceCents: z.number().int(),
    price: z.string(),
    currency: z.string(),
    stock: z.number().int(),
    category: z.string(),
    imageUrl: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Product',
    examples: [
      {
        id: 42,
        slug: 'stoneware-mug',
        name: 'Stoneware mug',
        description: 'A 350 ml mug, glazed inside and out.',
        priceCents: 1450,
        price: '$14.50',
        currency: 'USD',
        stock: 12,
        category: 'kitchen',
        imageUrl: null,
        createdAt: '2026-11-02T09:30:00.000Z',
        updatedAt: '2026-11-20T16:05:00.000Z',
      },
    ],
  })
export type Product = z.infer<typeof productSchema>

/**
 * A page of a listing, as `GET /api/products` answers it. `total` is exact when `totalExact`,
 * else a lower bound ("1,000+"); `page` is null on a page found by position (`after`/`before`);
 * `links` are the query parameters of the pages around it (null: none), e.g. `{ after: '1299_40512' }`.
 */
export const productPageSchema = z
  .object({
    items: z.array(productSchema),
    total: z.number().int(),
    totalExact: z.boolean(),
    page: z.number().int().nullable(),
    pageCount: z.number().int(),
    links: pageLinksSchema,
  })
  .meta({ id: 'ProductPage' })
export type ProductPage<Item = Product> = Omit<z.infer<typeof productPageSchema>, 'items'> & { items: Item[] }

/** What a product card shows: all a listing sends to the browser (no descriptions, no dates). */
export type ProductCard = Pick<Product, 'id' | 'slug' | 'name' | 'price' | 'stock' | 'category'>
export const toCard = ({ id, slug, name, price, stock, category }: Product): ProductCard => ({ id, slug, name, price, stock, category })

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(SLUG_PATTERN, 'Use lower-case letters, digits and hyphens')
  .regex(NOT_ALL_DIGITS, 'Use at least one letter: digits alone read as an id')
  .max(80, 'Use at most 80 characters')

/** The highest price, in cents: $1,000,000.00. */
export const MAX_PRICE_CENTS = 100_000_000
export const MAX_STOCK = 1_000_000

const productFields = z.object({
  name: characters(plainText(), { min: 2, max: PRODUCT_LIMITS.name }),
  slug: slugSchema,
  description: characters(plainText({ multiline: true }), { max: PRODUCT_LIMITS.description }),
  priceCents: integerJson({ min: 1, max: MAX_PRICE_CENTS }, 'The price in whole cents, from 1 to 100000000'),
  stock: integerJson({ min: 0, max: MAX_STOCK }, `A whole number from 0 to ${MAX_STOCK}`),
  category: z.string().regex(SLUG_PATTERN, 'Not a category'),
  // Shown as an <img src>: https: or a path on this site, never javascript:, data: or file:.
  imageUrl: linkUrl().max(500).nullable(),
})

/** What an admin sends to create a product; `slug` is derived from the name when absent. */
export const productInput = productFields.extend({
  slug: slugSchema.optional(),
  description: productFields.shape.description.default(''),
  imageUrl: productFields.shape.imageUrl.optional(),
})
export type ProductInput = z.infer<typeof productInput>
/** A change: only the fields sent (no defaults, so a PATCH never blanks what it did not name). */
export const productPatch = productFields
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Change at least one field')
  .meta({ minProperties: 1 })
export type ProductPatch = z.infer<typeof productPatch>

export type Category = { slug: string; name: string }
