import { startTransition } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { INLINE_CSS_SELECTOR, type Head, type PageAssets } from '#shared/ui'
import { BOOT_GLOBAL, type Boot, type Settled } from './boot.ts'
import { reviveDeferred } from './deferred.ts'
import { ClientRouter, type PageLoaders } from './router.tsx'

declare global {
  interface Window {
    [BOOT_GLOBAL]: Boot & { onSettle?: (key: string, settled: Settled) => void }
  }
}

type PageModule = {
  default: Parameters<typeof ClientRouter>[0]['initial']['Page']
  ErrorFallback?: Parameters<typeof ClientRouter>[0]['initial']['ErrorFallback']
}

/**
 * Hydrates the page the server rendered: loads only that page's chunk, rebuilds its data (deferred
 * values become promises that settle when the server streams them) and hydrates the document.
 */
export async function hydratePage(pages: PageLoaders): Promise<void> {
  const boot = window[BOOT_GLOBAL]
  const load = pages[`/${boot.page}`]
  if (!load) throw new Error(`No page module ${boot.page} in this build`)
  const module = (await load()) as PageModule
  const { data, settle } = reviveDeferred(boot.data, boot.deferred, boot.settled)
  boot.onSettle = settle
  // The document parsed to its end, every part's value written into it: one still missing never
  // comes (the connection was lost mid-stream), and its part says so rather than load for good.
  const lost = () => {
    for (const key of boot.deferred) if (!(key in boot.settled)) settle(key, { error: 'The connection was lost.' })
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', lost, { once: true })
  else lost()
  const { url, page: pageId, params, action, nav, viewer, badges } = boot
  const initial = {
    url,
    pageId,
    Page: module.default,
    ErrorFallback: module.ErrorFallback,
    data,
    params,
    head: withJsonLd(boot.head),
    action,
    nav,
    viewer,
    badges,
  }
  // In a transition React hydrates in slices of a few milliseconds and yields between them, so a
  // tap or a scroll during hydration waits one slice, not the whole page (decision 019).
  startTransition(() => {
    hydrateRoot(document, <ClientRouter initial={initial} assets={withInlineCss(boot.assets)} pages={pages} />, { onRecoverableError })
  })
}

/**
 * React's report of what it recovered from, as its default does (the window's error event), but
 * for a part the server could not finish (React's error 419): its data failed there, the server
 * logged why, and the client renders it, where its PagePart says so. Expected, not a fault to
 * report; a hydration mismatch still is.
 */
function onRecoverableError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  if (message.includes('#419') || message.includes('could not finish this Suspense boundary')) return
  reportError(error)
}

/**
 * The head with its schema.org data, which the server sends once: in the document's
 * `application/ld+json` scripts (the JSON they hold, escaped for a script, parses back to it), not
 * again in the boot data.
 */
function withJsonLd(head: Head): Head {
  const scripts = document.head.querySelectorAll('script[type="application/ld+json"]')
  return scripts.length === 0 ? head : { ...head, jsonLd: Array.from(scripts, (script) => JSON.parse(script.textContent ?? 'null') as Record<string, unknown>) }
}

/** The assets with the page's inline stylesheet, which the server sends once: in its `<style>`. */
function withInlineCss(assets: PageAssets): PageAssets {
  const style = document.head.querySelector(INLINE_CSS_SELECTOR)
  return style ? { ...assets, inlineCss: style.textContent ?? '' } : assets
}
