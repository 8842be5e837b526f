import { hydrateRoot } from 'react-dom/client'
import { App, Document } from '#shared/ui'
import { BOOT_GLOBAL, type Boot, type Settled } from './boot.ts'

type PageLoaders = Record<string, () => Promise<unknown>>
type PageModule = { default: Parameters<typeof App>[0]['Page'] }

declare global {
  interface Window {
    [BOOT_GLOBAL]: Boot & { onSettle?: (key: string, settled: Settled) => void }
  }
}

/**
 * Hydrates the page the server rendered: loads only that page's chunk, rebuilds its data (deferred
 * values become promises that settle when the server streams them) and hydrates the document.
 */
export async function hydratePage(pages: PageLoaders): Promise<void> {
  const boot = window[BOOT_GLOBAL]
  const load = pages[`/${boot.page}`]
  if (!load) throw new Error(`No page module ${boot.page} in this build`)
  const { default: Page } = (await load()) as PageModule
  hydrateRoot(
    document,
    <Document head={boot.head} assets={boot.assets}>
      <App nav={boot.nav} Page={Page} data={pageData(boot)} params={boot.params} />
    </Document>,
  )
}

type Thenable = Promise<unknown> & { status?: string; value?: unknown; reason?: unknown }

function pageData(boot: Window[typeof BOOT_GLOBAL]): unknown {
  if (boot.deferred.length === 0) return boot.data
  const waiting = new Map<string, (settled: Settled) => void>()
  const data = { ...(boot.data as Record<string, unknown>) }
  for (const key of boot.deferred) {
    const settled = boot.settled[key]
    data[key] = settled ? settledThenable(settled) : new Promise<Settled>((resolve) => waiting.set(key, resolve)).then(unwrap)
  }
  boot.onSettle = (key, settled) => waiting.get(key)?.(settled)
  return data
}

/** A promise React's `use()` reads synchronously, so hydration matches the server's HTML. */
function settledThenable(settled: Settled): Thenable {
  const promise: Thenable = 'value' in settled ? Promise.resolve(settled.value) : Promise.reject(new Error(settled.error))
  promise.catch(() => {})
  return Object.assign(promise, 'value' in settled ? { status: 'fulfilled', value: settled.value } : { status: 'rejected', reason: new Error(settled.error) })
}

function unwrap(settled: Settled): unknown {
  if ('value' in settled) return settled.value
  throw new Error(settled.error)
}
