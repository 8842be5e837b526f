import { z } from 'zod'
import { MAX_NUMBERED_PAGE, type PageLink, type PageLinks } from '#shared/ui'
import { integerTextRanges, pageNumber } from './input-schemas.ts'

/*
 * The schemas of a paged listing's positions and links (shared/ui's Pagination renders them). Here,
 * not beside Pagination: zod must not reach the browser's bundle (its size, and its `new Function`
 * probe, which a strict CSP reports as a violation even though zod catches it).
 */

const pageLinkSchema: z.ZodType<PageLink> = z.union([
  z.object({ after: z.string() }),
  z.object({ before: z.string() }),
  z.object({ page: z.union([z.number().int(), z.literal('last')]) }),
])

/** The links of a page as an API answers them (null: no such page from here). */
export const pageLinksSchema = z
  .object({ first: pageLinkSchema.nullable(), previous: pageLinkSchema.nullable(), next: pageLinkSchema.nullable(), last: pageLinkSchema.nullable() })
  .meta({ id: 'PageLinks' }) satisfies z.ZodType<PageLinks>

/**
 * `?after=` and `?before=`: a row's position, `<sort key>_<id>` (the listing checks its key, knowing
 * its sort). No control character: no key holds one, and PostgreSQL's text refuses a NUL outright.
 */
export const cursorText = z
  .string()
  .max(300)
  .regex(/^\P{Cc}*_\d{1,15}$/u, 'Not a page position')
  .optional()

/**
 * `?page=`: a number (undefined when absent: the first page), or `last`. Numbers read as `pageNumber` reads them (up to
 * MAX_PAGE, a deeper one an `invalid_input`); a listing refuses those past its numbered pages
 * (`invalid_query`, saying what to follow instead). The API document shows the numbers a listing
 * takes, `documentedMax`: a copy of the schema carries that range, `pageNumber`'s own stays as it is.
 */
export function pagePosition(documentedMax: number, description: string) {
  const listingPage = pageNumber.unwrap().clone().register(integerTextRanges, { min: 1, max: documentedMax })
  return z
    .union([z.literal('last'), listingPage])
    .meta({ description, default: 1 }) // on the union, which the API document shows; read as 1 by findPosition
    .optional() // not defaulted here: a listing refuses a number sent with `after` or `before`, and must see it was sent
}

/** A listing's `?page=`: numbered up to MAX_NUMBERED_PAGE, deeper pages by position. */
export const pageOrLast = pagePosition(
  MAX_NUMBERED_PAGE,
  `A page number, or \`last\`. Numbers past ${MAX_NUMBERED_PAGE} are refused (400 \`invalid_query\`): deeper pages are found by position, so follow the answer's \`links\` (\`after\`, \`before\`).`,
)
