/** A page's `<head>`: its title and meta tags. */
export interface Head {
  title: string
  description?: string
  meta?: { name?: string; property?: string; content: string }[]
  /**
   * The page's one address for search engines (rel=canonical, og:url), a path and query. By
   * default: its path and the query parameters its cache rule declares, sorted, without `page=1`.
   * The platform makes it absolute (PUBLIC_URL, else the request's origin).
   */
  canonical?: string
  /** An image for link previews (og:image, a large Twitter card); a path or an https: URL. */
  image?: string
  /**
   * The pages before and after this one in a paged listing (`<link rel="prev|next">`), each a path
   * and query; the platform makes them absolute as it does the canonical address.
   */
  prev?: string
  next?: string
  /** Keeps the page out of search results (a search's results, a filtered view). */
  noindex?: boolean
  /**
   * schema.org data, each in a `<script type="application/ld+json">`, escaped as the hydration
   * data is. A path in an `@id`, `url`, `item`, `image` or `logo` is made absolute.
   */
  jsonLd?: Record<string, unknown>[]
}

/** Who is signed in, as the layout shows it: never more than a page may reveal. */
export interface Viewer {
  name: string
  role: string
}

/** A link in the site navigation, contributed by a domain. Lower `order` comes first. */
export interface NavItem {
  href: string
  label: string
  order?: number
  /** Who sees it: everyone (default), visitors without a session, signed-in users, or admins. */
  show?: 'always' | 'anonymous' | 'signed-in' | 'admin'
  /** `post`: a button that posts to `href` (e.g. log out), not a link. */
  method?: 'get' | 'post'
  /** A count beside the label (the cart's items), filled per request by its domain; none at 0. */
  badge?: NavBadge
  /** Stays in the header row on narrow screens, where the rest folds into the menu (the cart). */
  pinned?: boolean
}

/** A nav item's count: which of its domain's `badges` fills it, and what it counts. */
export interface NavBadge {
  /** The badge's name in its domain's `badges`, e.g. `cart`. */
  name: string
  /** What a screen reader hears after the count: `['item', 'items']` reads "Cart 2 items". */
  units: readonly [one: string, other: string]
}

/** This request's badge counts by name; a badge not in it shows nothing. */
export type Badges = Record<string, number>

/** The items a viewer sees, in order. */
export function visibleNav(nav: NavItem[], viewer: Viewer | null): NavItem[] {
  return nav.filter(({ show = 'always' }) => {
    if (show === 'always') return true
    if (show === 'anonymous') return viewer === null
    if (show === 'signed-in') return viewer !== null
    return viewer?.role === 'admin'
  })
}

/** The stylesheets and modules a page needs, and the client entry that hydrates it. */
export interface PageAssets {
  entry: string
  /**
   * Its stylesheets' text, in one `<style>` in the head (allowed by hash in the CSP): nothing to
   * fetch before the first paint. Empty when none. Not in the boot data: the client reads it back
   * from the document.
   */
  inlineCss: string
  /** Stylesheets linked as files (those not inlined). */
  css: string[]
  /** The client's chunks this page runs (the entry among them): fetched together after the first paint. */
  preload: string[]
}
