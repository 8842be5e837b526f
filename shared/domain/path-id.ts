import type { Context } from 'hono'
import { z } from 'zod'
import { idText, notFound, readId, redirect } from '#shared/http'

/*
 * An id in a path has one spelling: the one the store writes in its links (`/orders/1`). `idText`
 * takes leading zeros (a form field's `007` is 7), so `/orders/01`, `/orders/001`… answered the
 * same page as `/orders/1`: as many addresses for one order as anyone liked to write, each its own
 * page-cache entry where a page is cached, and an API that read `/api/orders/01` as order 1.
 * Other spellings (`1.0`, `+1`, `1e0`, `0x1`) were refused already; this refuses the last one.
 */

/** Digits with no leading zero (`idText` checks the digits and the range). */
const written = (text: string) => !text.startsWith('0')
const NOT_AN_ID = 'Not an id'
/** idText's range: the API document shows the id as the integer it is. */
const documented = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const

/**
 * A row's id in an API path (`/api/orders/{id}`): `01` is a 400 `invalid_input`, as `1.0` is (an
 * API client is not redirected).
 * @example params: z.object({ id: pathId('The order’s id.') })
 */
export function pathId(description?: string) {
  return z
    .string({ error: NOT_AN_ID })
    .refine(written, NOT_AN_ID)
    .pipe(idText)
    .meta({ ...documented, ...(description && { description }) })
}

/**
 * The id in a page's path, as `readId` reads it, in its one spelling: `/orders/01` (GET or HEAD)
 * answers 301 to `/orders/1`, the query kept, as a page's path spelt otherwise does (`/Orders`,
 * `/orders/`); a form posted to it, which no page of the store sends there, is a 404, as any
 * other text that is no id. Before anything is read: the redirect says nothing of the row.
 * @example const id = readPathId(c, params.id, 'No such order.')
 */
export function readPathId(c: Context, text: string | undefined, message?: string): number {
  const id = readId(text, message)
  if (written(text!)) return id
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return notFound(message)
  const url = new URL(c.req.url)
  const segments = url.pathname.split('/')
  const at = segments.lastIndexOf(text!)
  if (at === -1) return notFound(message) // written with escapes: nothing to put in its place
  segments[at] = String(id)
  return redirect(segments.join('/') + url.search, 301)
}
