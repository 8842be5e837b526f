import type { ReactNode } from 'react'
import { Form } from './form.tsx'
import { Link } from './link.tsx'
import type { NavItem, Viewer } from './types.ts'

/** The store's frame: header with the navigation the mounted domains contribute, then the page. */
export function Layout({ nav, viewer, children }: { nav: NavItem[]; viewer: Viewer | null; children: ReactNode }) {
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
                {item.method === 'post' ? (
                  <Form action={item.href} className="nav-form">
                    <button type="submit" className="link-button">
                      {item.label}
                    </button>
                  </Form>
                ) : (
                  <Link href={item.href}>{item.label}</Link>
                )}
              </li>
            ))}
          </ul>
        </nav>
        {viewer && <span className="viewer">Signed in as {viewer.name}</span>}
      </header>
      <main className="site-main">{children}</main>
      <footer className="site-footer">Tessera: streamed, server-rendered, and yours.</footer>
    </div>
  )
}
