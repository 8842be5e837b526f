import { Links, Meta, Outlet, Scripts, ScrollRestoration } from 'react-router'
// Tessera's stylesheet, imported by the root route as React Router's templates import theirs
// (`import './app.css'`): Vite bundles it and `<Links />` links it from the head.
import '../../../../shared/ui/styles.css'

// The document React Router's templates start from: its head (the viewport, Meta, Links) and
// scripts are its own.
export function Layout({ children }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function Root() {
  return <Outlet />
}
