import { useEffect, useMemo, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import {
  ACTION_HEADER,
  App,
  clearAnnouncement,
  focusHeading,
  type ActionResponse,
  type ActionState,
  type PageAssets,
  type PageView,
  type Router,
} from '#shared/ui'
import { fetchPage, type FetchedPage } from './fetch-page.ts'
import { entryKey, hasEntryKey, newEntryState, restoreScroll, saveScroll, scrollToTarget } from './scroll.ts'

export type PageLoaders = Record<string, () => Promise<unknown>>
type PageModule = Pick<PageView, 'ErrorFallback'> & { default: PageView['Page'] }

/** How long a prefetched page is used: a shared one 30 s; a shopper's own (a cart) only while a click follows a hover. */
const PREFETCH_TTL_MS = 30_000
const OWN_PAGE_PREFETCH_TTL_MS = 3_000

interface ClientRouterProps {
  initial: PageView
  assets: PageAssets
  pages: PageLoaders
}

/** The hydrated app: renders the current page view and moves between views without reloads. */
export function ClientRouter({ initial, assets, pages }: ClientRouterProps) {
  const [view, setView] = useState(initial)
  const current = useRef(view)
  current.current = view
  const router = useMemo(
    () =>
      createRouter(
        pages,
        () => current.current,
        (next) => flushSync(() => setView(next)),
      ),
    [pages],
  )
  useEffect(() => router.start(), [router])
  return <App view={view} assets={assets} router={router} />
}

function createRouter(pages: PageLoaders, currentView: () => PageView, show: (view: PageView) => void) {
  const prefetched = new Map<string, { at: number; page: Promise<FetchedPage> }>()
  let latest = 0
  /** The shopper's own navigations (a link, Back or Forward): a form's answer never undoes one begun after it was sent. */
  let moves = 0
  /**
   * A push overtaken by a newer navigation before it pushed its entry: a replace that follows it
   * replaces that entry, which never came, so it pushes instead (a search as typed: the first
   * keys push, the next replace; on a slow connection the first push never happened, and the
   * page typing began on was overwritten, Back skipping past it).
   */
  let owedPush = false
  let currentKey = ''
  /**
   * The history entry whose page is on screen: after a quick Back, Back, the browser's current
   * entry (currentKey) is one whose page has not arrived yet, and the position on screen is not its.
   */
  let shownKey = ''
  /** The path and query on screen: a popstate to the same one only changed the hash. */
  let shownPath = location.pathname + location.search
  /**
   * The last form post sent, answered or not: the next goes once its answer's headers are in, as
   * one form after another would without JavaScript. Sent together, a visitor's first two adds
   * carried no cart cookie: two carts were made, and the cookie of one replaced the other's.
   */
  let lastPost: Promise<unknown> = Promise.resolve()

  /** A page's data and its module, or null when the browser should load it the classic way. */
  async function load(href: string, { fresh = false } = {}): Promise<PageView | { redirect: string } | null> {
    const cached = prefetched.get(href)
    prefetched.delete(href)
    const age = cached ? Date.now() - cached.at : Number.POSITIVE_INFINITY
    const early = !fresh && cached && age < PREFETCH_TTL_MS ? await cached.page : undefined
    // Another tab may have changed a shopper's own page (their cart) since it was prefetched.
    const usable = early && (early.kind !== 'page' || early.shared || age < OWN_PAGE_PREFETCH_TTL_MS)
    const fetched = usable ? early : await fetchPage(href)
    if (fetched.kind === 'redirect') return { redirect: fetched.to }
    if (fetched.kind === 'fail') return null
    const loadModule = pages[`/${fetched.payload.page}`]
    if (!loadModule) return null
    const module = (await loadModule()) as PageModule
    const { url, page, params, head, action, nav, viewer, badges } = fetched.payload
    return { url, pageId: page, Page: module.default, ErrorFallback: module.ErrorFallback, data: fetched.data, params, head, action, nav, viewer, badges }
  }

  /** `action`: a refusal to show with the refreshed page, as the page without JavaScript shows it. */
  async function go(href: string, mode: 'push' | 'replace' | 'pop' | 'refresh', action?: ActionState, keepFocus = false): Promise<void> {
    const id = ++latest
    if (mode === 'replace' && owedPush) mode = 'push'
    owedPush = mode === 'push'
    const target = new URL(href, location.href)
    // Another site, or a javascript: URL, is never fetched or rendered here.
    if (target.origin !== location.origin) {
      if (/^https?:$/.test(target.protocol)) location.assign(target.href)
      return
    }
    showBusy(true)
    try {
      await goWithin(id, target, mode, action, keepFocus)
    } finally {
      // A newer navigation says when it is done.
      if (id === latest) showBusy(false)
    }
  }

  async function goWithin(
    id: number,
    target: URL,
    mode: 'push' | 'replace' | 'pop' | 'refresh',
    action: ActionState | undefined,
    keepFocus: boolean,
  ): Promise<void> {
    let next: Awaited<ReturnType<typeof load>>
    try {
      next = await load(target.pathname + target.search, { fresh: mode === 'refresh' })
    } catch {
      next = null
    }
    if (id !== latest) return // a newer navigation won
    if (!next) return loadDocument(target.href, mode)
    // Back to a page that now redirects, or a refresh of one (a checkout whose cart is gone): the
    // address becomes the redirect's, in place of the one that sent it there.
    if ('redirect' in next) return go(next.redirect, mode === 'pop' || mode === 'refresh' ? 'replace' : mode)
    // Signed out (here, or in another tab): a new document, so nothing of the shopper stays behind
    // on a shared computer: not the first page's inline data (their email), not this one's memory.
    if (currentView().viewer && !next.viewer) return loadDocument(next.url + target.hash, mode)
    if (mode === 'push' || mode === 'replace') {
      saveScroll(shownKey)
      const state = newEntryState()
      const url = next.url + target.hash
      if (mode === 'push') history.pushState(state, '', url)
      else history.replaceState(state, '', url)
      currentKey = state.key
      owedPush = false
    }
    show(action ? { ...next, action } : next)
    // Another page (or the same one again by a link): a form's last message is not about it.
    if (mode === 'push' || mode === 'pop') clearAnnouncement()
    shownPath = next.url
    shownKey = currentKey
    if (mode === 'pop') restoreScroll(currentKey) || scrollTo(0, 0)
    else if (mode !== 'refresh') scrollToTarget(target.hash)
    // Another page (not the same one's next query, typed into its search box): focus on its
    // heading, unless the address names a place in it (#target: scrolled to already). After a
    // page load a keyboard starts from the top and a screen reader reads the new page; after a
    // client navigation the focus would stay on the link, or fall to the body, and nothing be read.
    if ((mode === 'push' || mode === 'pop') && !target.hash && !keepFocus) focusHeading()
  }

  const router: Router & { start(): () => void } = {
    navigate: (href, options) => {
      moves++
      return go(href, options?.replace ? 'replace' : 'push', undefined, options?.keepFocus)
    },

    prefetch(href) {
      const target = new URL(href, location.href)
      if (target.origin !== location.origin) return
      const key = target.pathname + target.search
      const now = Date.now()
      for (const [old, entry] of prefetched) if (now - entry.at >= PREFETCH_TTL_MS) prefetched.delete(old)
      if (prefetched.has(key)) return
      const page = fetchPage(key).catch((): FetchedPage => ({ kind: 'fail' }))
      prefetched.set(key, { at: now, page })
      // Warm the page's chunk too, so the click costs neither round trip. One that fails to load (a
      // new release deleted it) fails the click instead, which then loads the page the classic way.
      void page.then((fetched) => fetched.kind === 'page' && pages[`/${fetched.payload.page}`]?.()).catch(() => undefined)
    },

    async submit(action, body) {
      // A navigation begun while the answer comes (Back, a link) is where the shopper wants to be:
      // the answer must not refresh or redirect over it (it showed the form's page under its address).
      // Another form's refresh is no such move: this answer still refreshes the page after it.
      const navigation = moves
      let answer: ActionResponse
      let status = 0
      try {
        const post = lastPost.then(() => fetch(action, { method: 'POST', body, headers: { [ACTION_HEADER]: '1', Accept: 'application/json' } }))
        lastPost = post.catch(() => undefined)
        const res = await post
        status = res.status
        const json = res.headers.get('Content-Type')?.startsWith('application/json')
        // A guard sent the browser elsewhere before the action ran (signed out meanwhile: the log-in page).
        if (res.redirected && !json) {
          await res.body?.cancel() // that page's HTML: its data comes by go(), or a page load does
          if (moves === navigation) await go(res.url, 'push')
          return { ok: false }
        }
        answer = json ? await res.json() : failure(res.status)
        if (!res.ok && !answer.fieldErrors && !answer.formError) answer = failure(res.status)
      } catch {
        answer = failure(0)
      }
      // Whatever was prefetched may predate this write.
      if (answer.ok) prefetched.clear()
      if (moves !== navigation) return answer
      if (answer.redirect) await go(answer.redirect, 'push')
      else if (answer.ok) await go(currentView().url, 'refresh')
      // Refused because what the page shows is out of date (409: a cart changed, an order shipped;
      // 404: a cart line removed in another tab): the page's data again, the answer's message kept by
      // its form, and given to the page as its action, as without JavaScript: a form the new data no
      // longer shows (that line's) has its message shown by the page.
      else if (status === 409 || status === 404) await go(currentView().url, 'refresh', answer)
      return answer
    },

    setBadge(name, count) {
      const view = currentView()
      if (view.badges[name] === count) return
      // A prefetched page was rendered with the old count: showing it would bring that back.
      prefetched.clear()
      show({ ...view, badges: { ...view.badges, [name]: count } })
    },

    start() {
      history.scrollRestoration = 'manual'
      // A reloaded entry has its key and may have a saved position; a fresh one has neither, and
      // keeps the browser's own (#hash) position without reading sessionStorage, whose first
      // read costs a phone tens of milliseconds of start-up (decision 019).
      const reloaded = hasEntryKey()
      currentKey = entryKey()
      shownKey = currentKey
      if (reloaded) restoreScroll(currentKey)
      const onPop = () => {
        saveScroll(shownKey)
        currentKey = entryKey()
        // Back on the page on screen (an in-page link changed only the hash, or Back then Forward
        // before the other page came): the browser has scrolled already, and a navigation still
        // loading elsewhere must not show its page under this address.
        if (location.pathname + location.search === shownPath) {
          latest++
          showBusy(false)
          shownKey = currentKey
          return
        }
        moves++
        void go(location.href, 'pop')
      }
      const onHide = () => saveScroll(shownKey)
      addEventListener('popstate', onPop)
      addEventListener('pagehide', onHide)
      return () => {
        removeEventListener('popstate', onPop)
        removeEventListener('pagehide', onHide)
      }
    },
  }
  return router
}

let busyTimer: ReturnType<typeof setTimeout> | undefined
/**
 * A client navigation that takes a while says so, as a page load's spinner would: after 200 ms the
 * document is marked `data-navigating` (a bar across the top, styles.css) until the page shows.
 */
function showBusy(on: boolean): void {
  clearTimeout(busyTimer)
  if (on) busyTimer = setTimeout(() => document.documentElement.setAttribute('data-navigating', ''), 200)
  else document.documentElement.removeAttribute('data-navigating')
}

/** The browser's own page load: a new history entry for a push, in place of the current one otherwise (Back already moved there). */
function loadDocument(href: string, mode: 'push' | 'replace' | 'pop' | 'refresh'): void {
  if (mode === 'push') location.assign(href)
  else location.replace(href)
}

function failure(status: number): ActionState {
  const formError =
    status === 403
      ? 'This form was refused. Reload the page and try again.'
      : status === 429
        ? 'Too many attempts. Wait a minute and try again.'
        : status === 0
          ? 'The network is unavailable. Try again.'
          : 'Something went wrong. Try again.'
  return { ok: false, formError }
}
