/** A page's `<head>`: its title and meta tags. */
export interface Head {
  title: string
  description?: string
  meta?: { name?: string; property?: string; content: string }[]
}

/** A link in the site navigation, contributed by a domain. Lower `order` comes first. */
export interface NavItem {
  href: string
  label: string
  order?: number
}

/** The stylesheets and module preloads a page needs, and the client entry that hydrates it. */
export interface PageAssets {
  entry: string
  css: string[]
  preload: string[]
}
