import { seededRandom } from '#shared/db'
import { ADJECTIVES, CATALOGUE, COLOURS, MAKER_ENDINGS, MAKER_STARTS } from './seed-data.ts'
import { slugify } from './slug.ts'

export interface SeedProduct {
  slug: string
  name: string
  description: string
  priceCents: number
  stock: number
  category: string
  createdAt: number
}

/**
 * The catalogue the store has always seeded: the first 1,000 products are drawn as they always
 * were (tests, screenshots and earlier benchmark results know them). Beyond, each product also
 * names its maker, one of 2,000, and product i's name is the (i·STEP mod n)-th of the n
 * (61 million) combinations of its category's words (adjective, material, noun, colour or none,
 * maker): unique by construction, so ten million products need no set of the names seen.
 */
const CLASSIC = 1000
const EPOCH = Date.UTC(2026, 0, 1)
const HOUR = 3_600_000
const MINUTE = 60_000
const makers = MAKER_STARTS.flatMap((start) => MAKER_ENDINGS.map((ending) => start + ending))
/** A colour digit past the list means none: half of the names have a colour, as in the classic draw. */
const colourChoices = COLOURS.length * 2
/** A prime above every list's length, so coprime with a category's number of combinations n: i ↦ i·STEP mod n is a bijection. */
const STEP = 15_485_863

/** `count` realistic products over the ten categories, the same every time for the same seed. */
export function* catalogueProducts(count = CLASSIC, seed = 42): Generator<SeedProduct> {
  const next = seededRandom(seed)
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!
  const categories = Object.entries(CATALOGUE)
  const classicNames = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const [category, words] = categories[i % categories.length]!
    let name: string, noun: string, material: string
    if (i < CLASSIC) {
      noun = pick(words.nouns)
      material = pick(words.materials)
      name = `${pick(ADJECTIVES)} ${material} ${noun}${next() < 0.5 ? ` in ${pick(COLOURS)}` : ''}`
      // The classic draw repeats a name now and then (4 in 1,000): the second is "No. 2".
      const seen = classicNames.get(name) ?? 0
      classicNames.set(name, seen + 1)
      if (seen > 0) name = `${name} No. ${seen + 1}`
    } else {
      const combinations = ADJECTIVES.length * words.materials.length * words.nouns.length * colourChoices * makers.length
      let x = (i * STEP + seed) % combinations
      const digit = (base: number) => {
        const value = x % base
        x = Math.floor(x / base)
        return value
      }
      const adjective = ADJECTIVES[digit(ADJECTIVES.length)]!
      material = words.materials[digit(words.materials.length)]!
      noun = words.nouns[digit(words.nouns.length)]!
      const colour = COLOURS[digit(colourChoices)]
      name = `${adjective} ${material} ${noun}${colour ? ` in ${colour}` : ''} by ${makers[x]}`
    }
    const dollars = Math.round(4 + next() ** 2 * 296)
    const roll = next()
    // The first 1,000 an hour apart, as always; the rest a minute apart (a million span two years).
    const createdAt = i < CLASSIC ? EPOCH - i * HOUR : EPOCH - CLASSIC * HOUR - (i - CLASSIC) * MINUTE
    yield {
      slug: slugify(name),
      name,
      description: `A ${material.toLowerCase()} ${noun.toLowerCase()} made for ${pick(words.uses)}. ${pick(DETAILS)} ${pick(DETAILS)}`,
      priceCents: dollars * 100 - (next() < 0.7 ? 1 : 0),
      stock: roll < 0.06 ? 0 : roll < 0.15 ? 1 + Math.floor(next() * 4) : 5 + Math.floor(next() * 120),
      category,
      createdAt,
    }
  }
}

/** The same products as an array (tests and small catalogues). */
export function generateCatalogue(count = CLASSIC, seed = 42): SeedProduct[] {
  return [...catalogueProducts(count, seed)]
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
