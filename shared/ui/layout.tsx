import type { ReactNode } from 'react'
import { Link } from './link.tsx'
import type { NavItem } from './types.ts'

/** The store's frame: header with the navigation the mounted domains contribute, then the page. */
export function Layout({ nav, children }: { nav: NavItem[]; children: ReactNode }) {
  return (
    <div className="app">
      <header className="site-header">
        <Link className="brand" href="/">
          Tessera
        </Link>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.href}>
                <Link href={item.href}>{item.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main className="site-main">{children}</main>
      <footer className="site-footer">Tessera: streamed, server-rendered, and yours.</footer>
    </div>
  )
}
