import type { z } from 'zod'
import { HttpError, MAX_PAGE, readQuery } from '#shared/http'

export const NOT_A_PAGE = 'There is no such page: pages are numbered from 1. Follow the pagination’s links (or page=last for the last).'

/**
 * A listing page's query, as `readQuery` reads it, with `?page=` answered as helpfully at any
 * number as just past the end. A page number deeper than any listing is read (`page=99999`, past
 * MAX_PAGE) is taken as the deepest one read, so it gets what page 21 gets: the listing's own
 * refusal naming how far numbers go, or its 404 past the end of a search. Any other page that is
 * not a number from 1 (`0`, `-1`, `2.5`, `abc`) says what pages are instead of a bare "not a
 * valid address". Other parameters' mistakes are `readQuery`'s.
 * @example const position = readListingQuery(orderListQuery, query)
 */
export function readListingQuery<Schema extends z.ZodType>(schema: Schema, query: URLSearchParams): z.output<Schema> {
  const pages = query.getAll('page')
  const page = pages.length === 1 ? pages[0]! : undefined
  let read = query
  if (page !== undefined && /^[0-9]+$/.test(page) && Number(page) > MAX_PAGE) {
    read = new URLSearchParams(query)
    read.set('page', String(MAX_PAGE))
  }
  try {
    return readQuery(schema, read)
  } catch (err) {
    const aboutPage = err instanceof HttpError && err.issues !== undefined && err.issues.length > 0 && err.issues.every((issue) => issue.path[0] === 'page')
    if (aboutPage && pages.length === 1) throw new HttpError(400, 'invalid_query', NOT_A_PAGE, err.issues)
    throw err
  }
}
