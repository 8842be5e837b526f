import { z } from 'zod'
import type { PageLink, PageLinks } from '#shared/ui'

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

/** `?page=`: a number, or `last`. */
export const pageOrLast = <PageNumber extends z.ZodType<number>>(pageNumber: PageNumber) => z.union([z.literal('last'), pageNumber])
