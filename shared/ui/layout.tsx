import type { ReactNode } from 'react'
import { ANNOUNCER_ID } from './announce.ts'
import { Form } from './form.tsx'
import { Link } from './link.tsx'
import { SiteMenu } from './site-menu.tsx'
import type { Badges, NavItem, Viewer } from './types.ts'

export interface LayoutProps {
  nav: NavItem[]
  viewer: Viewer | null
  badges: Badges
  /**
   * Server only: the header's contents (`SiteHeader`) already rendered for these props, the same
   * on every request that has them (a visitor's), so they are not rendered again. The browser
   * renders and hydrates the components themselves over that markup.
   */
  headerHtml?: string | undefined
  children: ReactNode
}

/**
 * The store's frame: header with the navigation the mounted domains contribute, then the page.
 * One row on wide screens; on narrow ones the brand, the pinned items (the cart) and a "Menu"
 * that holds the rest (see SiteMenu), so nothing runs off a 320 px screen.
 */
export function Layout({ nav, viewer, badges, headerHtml, children }: LayoutProps) {
  return (
    <div className="app">
      {/* A keyboard reaches the page in one Tab, not past every header link first. */}
      <a className="skip-link" href="#main">
        Skip to the page
      </a>
      {headerHtml === undefined ? (
        <header className="site-header">
          <SiteHeader nav={nav} viewer={viewer} badges={badges} />
        </header>
      ) : (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: the header React rendered once for every visitor (renderToString escapes)
        <header className="site-header" dangerouslySetInnerHTML={{ __html: headerHtml }} />
      )}
      <main className="site-main" id="main" tabIndex={-1}>
        {children}
      </main>
      {/* What forms say when they are done (`<Form announce>`), read out: empty until then. */}
      <p className="visually-hidden" role="status" id={ANNOUNCER_ID} />
      <footer className="site-footer">Tessera: streamed, server-rendered, and yours.</footer>
    </div>
  )
}

/** The header's contents: the brand, then the navigation. */
export function SiteHeader({ nav, viewer, badges }: Pick<LayoutProps, 'nav' | 'viewer' | 'badges'>) {
  const navItem = (item: NavItem) => <NavEntry key={item.href} item={item} badges={badges} />
  const pinned = nav.filter((item) => item.pinned)
  return (
    <>
      <Link className="brand" href="/">
        Tessera
      </Link>
      <nav aria-label="Main" className="site-nav">
        <SiteMenu>
          <ul className="nav-items">{nav.filter((item) => !item.pinned).map(navItem)}</ul>
          {/* bdi: a name written right to left (or with a stray direction mark) cannot reorder the words around it. */}
          {viewer && (
            <p className="viewer">
              Signed in as <bdi>{viewer.name}</bdi>
            </p>
          )}
        </SiteMenu>
        {pinned.length > 0 && <ul className="nav-items nav-pinned">{pinned.map(navItem)}</ul>}
      </nav>
    </>
  )
}

function NavEntry({ item, badges }: { item: NavItem; badges: Badges }) {
  const label = (
    <>
      {item.label}
      <BadgeCount item={item} badges={badges} />
    </>
  )
  return (
    <li>
      {item.method === 'post' ? (
        <Form action={item.href} className="nav-form">
          <button type="submit" className="link-button">
            {label}
          </button>
        </Form>
      ) : (
        <Link href={item.href}>{label}</Link>
      )}
    </li>
  )
}

/** The item's count, when it has one above zero: "Cart 2" on screen, "Cart 2 items" read aloud. */
function BadgeCount({ item, badges }: { item: NavItem; badges: Badges }) {
  const count = item.badge ? (badges[item.badge.name] ?? 0) : 0
  if (!item.badge || count <= 0) return null
  const [one, other] = item.badge.units
  return (
    <span className="nav-badge" data-badge={item.badge.name}>
      {count}
      <span className="visually-hidden">{` ${count === 1 ? one : other}`}</span>
    </span>
  )
}
