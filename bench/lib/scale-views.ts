/**
 * What the scale benchmark measures: every catalogue view issue #14 names, the admin's lists and
 * the shopper's orders, and the last page of each paginated one, found from the page's own links.
 */

export type Viewer = 'anonymous' | 'admin' | 'shopper'

export interface View {
  name: string
  path: string
  viewer: Viewer
  /** The view whose last page this is: its path is found per database, from that view's links. */
  lastOf?: string
  /** Paths requested in turn (wrk's Lua script), more than any cache keeps: what a first visit costs. */
  rotate?: string[]
}

/**
 * 2,028 different searches (every 2-letter prefix, three orders), requested in turn: more than the
 * 500 searches a process keeps ranked, so each is ranked afresh (search-page.server.ts).
 */
const letters = [...'abcdefghijklmnopqrstuvwxyz']
const freshSearches = letters.flatMap((a) => letters.flatMap((b) => ['', '&sort=price-asc', '&sort=name'].map((sort) => `/products?q=${a}${b}${sort}`)))
/** The same list, starting where the bench wants a first request for its checks. */
const rotating = (paths: string[]) => ({ path: paths[0]!, rotate: paths })

const listings: [string, string][] = [
  ['/products', '/products'],
  ['sort price-asc', '/products?sort=price-asc'],
  ['sort price-desc', '/products?sort=price-desc'],
  ['sort name', '/products?sort=name'],
  ['category kitchen', '/products?category=kitchen'],
  ['search mug', '/products?q=mug'],
  ['search ha (2-letter prefix)', '/products?q=ha'],
  ['search + category + sort', '/products?category=kitchen&q=mug&sort=price-asc'],
]

const withLast = (name: string, path: string, viewer: Viewer): View[] => [
  { name, path, viewer },
  { name: `${name}, last page`, path, viewer, lastOf: name },
]

export const views: View[] = [
  ...listings.flatMap(([name, path]) => withLast(name, path, 'anonymous')),
  { name: 'search, a different one each time (none kept)', ...rotating(freshSearches), viewer: 'anonymous' },
  { name: 'API search + sort', path: '/api/products?q=bowl&sort=price-desc&limit=48', viewer: 'anonymous' },
  ...withLast('/admin/products', '/admin/products', 'admin'),
  ...withLast('/admin/orders', '/admin/orders', 'admin'),
  ...withLast('/orders (shopper)', '/orders', 'shopper'),
  { name: '/dashboard (shopper)', path: '/dashboard', viewer: 'shopper' },
]

/** A search view: its cost follows what it finds (up to the window), not the catalogue. */
export const isSearch = (path: string) => new URL(path, 'http://x').searchParams.has('q')

/**
 * How many products a search's answer says it found: the API's `total`, or the page's result count
 * ("1,000+ products": the window is full). Undefined for anything else.
 */
export function foundIn(body: string): number | undefined {
  const count = /class="result-count">([\d,]+)/.exec(body)?.[1] ?? /^\{.*"total":(\d+)/s.exec(body)?.[1]
  return count === undefined ? undefined : Number(count.replaceAll(',', ''))
}

type Anchor = { href: string; rel: string; text: string; label: string }

const decode = (text: string) =>
  text.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>')
const attribute = (tag: string, name: string) => decode(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? '')

function anchors(html: string): Anchor[] {
  return [...html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/g)].map(([, tag, inner]) => ({
    href: attribute(tag!, 'href'),
    rel: attribute(tag!, 'rel'),
    label: attribute(tag!, 'aria-label'),
    text: decode(inner!.replace(/<[^>]*>/g, '')).trim(),
  }))
}

/** A "last page" link: rel="last", or a link named "Last…" by its text or label. */
const isLastLink = (a: Anchor) => /(^|\s)last(\s|$)/i.test(a.rel) || /^last\b/i.test(a.text) || /^last\b/i.test(a.label)
const pageParam = (href: string) => Number(new URL(href, 'http://x').searchParams.get('page') ?? NaN)

export interface LastPage {
  path: string
  /** How it was found, for the report. */
  how: string
}

/**
 * The path of a view's last page, read from its pagination as a shopper would reach it: the
 * page's own "last" link (rel="last" or named "Last"; cursor or number, followed as given); else,
 * for page-number links (?page=2 on the first page), the first page number whose page links no
 * further, found by doubling then halving (~30 requests at a million products). When that page
 * is refused (a cap on ?page=), the deepest page the server answers, and the report says so.
 * A view whose first page links to no other page is measured on its first page, and says so.
 */
export async function findLastPage(origin: string, path: string, headers: Record<string, string>): Promise<LastPage> {
  const get = async (url: string) => {
    const response = await fetch(new URL(url, origin), { headers, redirect: 'manual' })
    return { status: response.status, links: anchors(await response.text()) }
  }
  const first = await get(path)
  if (first.status !== 200) throw new Error(`${path} answers ${first.status}`)
  const last = first.links.find(isLastLink)
  if (last) return { path: last.href, how: `its "last" link` }
  const second = first.links.find((a) => pageParam(a.href) === 2)
  if (!second) return { path, how: 'no "last" or page-number link: the first page' }
  const pageUrl = (n: number) => {
    const url = new URL(second.href, origin)
    url.searchParams.set('page', String(n))
    return `${url.pathname}${url.search}`
  }
  const linksOn = async (n: number) => {
    const page = await get(pageUrl(n))
    return page.status === 200 && page.links.some((a) => pageParam(a.href) === n + 1)
  }
  let linked = 1 // the highest page known to link to the next
  let unlinked = 2
  while (await linksOn(unlinked)) [linked, unlinked] = [unlinked, unlinked * 2]
  while (unlinked - linked > 1) {
    const middle = Math.floor((linked + unlinked) / 2)
    if (await linksOn(middle)) linked = middle
    else unlinked = middle
  }
  const { status } = await get(pageUrl(unlinked))
  if (status === 200) return { path: pageUrl(unlinked), how: `page-number links, page ${unlinked.toLocaleString('en')}` }
  return {
    path: pageUrl(linked),
    how: `page-number links: page ${linked.toLocaleString('en')}, the deepest the server answers (page ${unlinked.toLocaleString('en')}, which it links to, answers ${status})`,
  }
}
