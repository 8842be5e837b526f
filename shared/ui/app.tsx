import { Document } from './document.tsx'
import { ErrorBoundary } from './error-boundary.tsx'
import { Layout } from './layout.tsx'
import { PageViewContext, RouterContext, type PageView, type Router } from './router-context.ts'
import type { PageAssets } from './types.ts'

export interface AppProps {
  view: PageView
  assets: PageAssets
  /** The client router once hydrated; null on the server. */
  router: Router | null
  /** Server only: the header's markup when it is the same for every such request (see Layout). */
  headerHtml?: string | undefined
}

/** The whole document for one page view, the same on the server and in the browser. */
export function App({ view, assets, router, headerHtml }: AppProps) {
  const { Page, ErrorFallback, data, params, head, url, nav, viewer, badges } = view
  return (
    <RouterContext.Provider value={router}>
      <PageViewContext.Provider value={view}>
        <Document head={head} assets={assets}>
          <Layout nav={nav} viewer={viewer} badges={badges} headerHtml={headerHtml}>
            {/* Remounted for another path, kept for another query: a search box being typed in keeps its
                focus and its text while the results change. An error on one address never sticks to the next. */}
            <ErrorBoundary key={pathOf(url)} resetKey={url} fallback={ErrorFallback}>
              <Page data={data} params={params} />
            </ErrorBoundary>
          </Layout>
        </Document>
      </PageViewContext.Provider>
    </RouterContext.Provider>
  )
}

const pathOf = (url: string) => url.split('?', 1)[0]
