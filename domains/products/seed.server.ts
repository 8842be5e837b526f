import type { Db } from '#shared/db'
import { ADJECTIVES, CATALOGUE, COLOURS } from './seed-data.ts'
import { slugify } from './slug.ts'

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same catalogue anywhere. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface SeedProduct {
  slug: string
  name: string
  description: string
  priceCents: number
  stock: number
  category: string
  createdAt: number
}

/** `count` realistic products over the ten categories, the same every time for the same seed. */
export function generateCatalogue(count = 1000, seed = 42): SeedProduct[] {
  const next = random(seed)
  const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]!
  const categories = Object.entries(CATALOGUE)
  const seen = new Set<string>()
  const epoch = Date.UTC(2026, 0, 1)
  const products: SeedProduct[] = []
  for (let i = 0; products.length < count; i++) {
    const [category, words] = categories[i % categories.length]!
    const noun = pick(words.nouns)
    const material = pick(words.materials)
    const name = `${pick(ADJECTIVES)} ${material} ${noun}${next() < 0.5 ? ` in ${pick(COLOURS)}` : ''}`
    let slug = slugify(name)
    if (seen.has(slug)) slug = `${slug}-${i}`
    seen.add(slug)
    const dollars = Math.round(4 + next() ** 2 * 296)
    const roll = next()
    products.push({
      slug,
      name,
      description: `A ${material.toLowerCase()} ${noun.toLowerCase()} made for ${pick(words.uses)}. ${pick(DETAILS)} ${pick(DETAILS)}`,
      priceCents: dollars * 100 - (next() < 0.7 ? 1 : 0),
      stock: roll < 0.06 ? 0 : roll < 0.15 ? 1 + Math.floor(next() * 4) : 5 + Math.floor(next() * 120),
      category,
      createdAt: epoch - i * 3_600_000,
    })
  }
  return products
}

const DETAILS = [
  'Built to last and easy to care for.',
  'Designed in small batches by independent makers.',
  'Arrives in plastic-free packaging.',
  'Backed by a two-year guarantee.',
  'A favourite of our customers for years.',
  'Pairs well with the rest of the range.',
  'Thoughtfully made with durable materials.',
  'Light enough to take anywhere.',
]

/** Fills an empty catalogue in one transaction; does nothing when products exist. */
export async function seedCatalogue(db: Db, count = 1000): Promise<number> {
  const existing = await db.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  if (Number(existing.n) > 0) return 0
  const products = generateCatalogue(count)
  await db.transaction().execute(async (trx) => {
    for (const [slug, { name }] of Object.entries(CATALOGUE)) {
      await trx.insertInto('categories').values({ slug, name }).onConflict((conflict) => conflict.column('slug').doNothing()).execute()
    }
    const ids = Object.fromEntries((await trx.selectFrom('categories').select(['id', 'slug']).execute()).map((row) => [row.slug, row.id]))
    for (let start = 0; start < products.length; start += 100) {
      const rows = products.slice(start, start + 100).map((p) => ({
        slug: p.slug,
        name: p.name,
        description: p.description,
        price_cents: p.priceCents,
        stock: p.stock,
        category_id: ids[p.category]!,
        image_url: null,
        created_at: p.createdAt,
        updated_at: p.createdAt,
      }))
      await trx.insertInto('products').values(rows).execute()
    }
  })
  return products.length
}
