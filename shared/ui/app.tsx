import type { ComponentType } from 'react'
import { ErrorBoundary } from './error-boundary.tsx'
import { Layout } from './layout.tsx'
import type { NavItem } from './types.ts'

export interface AppProps {
  nav: NavItem[]
  Page: ComponentType<{ data: unknown; params: Record<string, string> }>
  data: unknown
  params: Record<string, string>
}

/** The tree inside `<body>`, the same on the server and in the browser. */
export function App({ nav, Page, data, params }: AppProps) {
  return (
    <Layout nav={nav}>
      <ErrorBoundary>
        <Page data={data} params={params} />
      </ErrorBoundary>
    </Layout>
  )
}
