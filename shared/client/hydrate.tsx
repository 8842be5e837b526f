import { hydrateRoot } from 'react-dom/client'
import { BOOT_GLOBAL, type Boot, type Settled } from './boot.ts'
import { reviveDeferred } from './deferred.ts'
import { ClientRouter, type PageLoaders } from './router.tsx'

declare global {
  interface Window {
    [BOOT_GLOBAL]: Boot & { onSettle?: (key: string, settled: Settled) => void }
  }
}

type PageModule = { default: Parameters<typeof ClientRouter>[0]['initial']['Page']; ErrorFallback?: Parameters<typeof ClientRouter>[0]['initial']['ErrorFallback'] }

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
  const { url, page: pageId, params, head, action, nav, viewer, badges } = boot
  const initial = { url, pageId, Page: module.default, ErrorFallback: module.ErrorFallback, data, params, head, action, nav, viewer, badges }
  hydrateRoot(document, <ClientRouter initial={initial} assets={boot.assets} pages={pages} />)
}
