import { createContext, useContext, type ComponentType } from 'react'
import type { ActionState } from './action-state.ts'
import type { Badges, Head, NavItem, Viewer } from './types.ts'

/** The client router, as links and forms use it. Absent on the server and without JavaScript. */
export interface Router {
  /** `keepFocus`: the focus stays where it is (a search box typed into), not on the new page's heading. */
  navigate(href: string, options?: { replace?: boolean; keepFocus?: boolean }): Promise<void>
  prefetch(href: string): void
  /** Posts a form to its action and applies the answer (errors, redirect, or fresh page data). */
  submit(action: string, body: FormData): Promise<ActionState>
  /**
   * Shows a new count in the header's badge `name` at once, e.g. the cart's after an add by
   * fetch: no request (the API's answer had it), and prefetched pages that predate it are dropped.
   */
  setBadge(name: string, count: number): void
}

export const RouterContext = createContext<Router | null>(null)

/** One rendered page: which component, its data, and what its head and forms show. */
export interface PageView {
  /** Path and query, e.g. `/products?page=2`. */
  url: string
  pageId: string
  Page: ComponentType<{ data: unknown; params: Record<string, string> }>
  ErrorFallback?: ComponentType<{ error: Error }>
  data: unknown
  params: Record<string, string>
  head: Head
  /** The result of the action the server ran for this request (a form posted without JavaScript). */
  action?: ActionState
  /** The navigation this viewer sees, who they are, and their counts (the cart's items). */
  nav: NavItem[]
  viewer: Viewer | null
  badges: Badges
}

export const PageViewContext = createContext<PageView | null>(null)

/** The client router, or null on the server and before hydration. */
export function useRouter(): Router | null {
  return useContext(RouterContext)
}

/** The page being shown: its URL, params and the last action's result. */
export function usePageView(): PageView {
  const view = useContext(PageViewContext)
  if (!view) throw new Error('usePageView() is only available inside a page')
  return view
}
