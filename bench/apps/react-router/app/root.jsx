import { Links, Meta, Outlet, Scripts, ScrollRestoration } from 'react-router'

// The document React Router's templates start from: its head (Meta, Links) and scripts are its own.
export function Layout({ children }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
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
