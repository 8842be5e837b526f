import { pageLinkParams, type PageLink } from '#shared/ui'
import type { ListQuery } from './schemas.ts'

/** The longest search: the search box takes no more (a longer `q` in a hand-made address is a 400). */
export const MAX_SEARCH_LENGTH = 100

/** The view (what is listed, how sorted; where in it is the page's own: `page` and `links`). */
export type View = Pick<ListQuery, 'q' | 'category' | 'sort'>

/**
 * The URL of a view of the catalogue, at its first page or at `at`: every view is a link. Its
 * parameters in the page cache's order (by name), so the address after a client navigation is
 * the one clicked.
 */
export function productsUrl(query: View, change: Partial<View> = {}, at?: PageLink): string {
  const next = { ...query, ...change }
  const position = pageLinkParams(at)
  const params = new URLSearchParams()
  if (position.after) params.set('after', position.after)
  if (position.before) params.set('before', position.before)
  if (next.category) params.set('category', next.category)
  if (position.page) params.set('page', position.page)
  if (next.q) params.set('q', next.q)
  if (next.sort) params.set('sort', next.sort)
  return params.size ? `/products?${params}` : '/products'
}
