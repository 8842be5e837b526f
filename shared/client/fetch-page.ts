import { DATA_HEADER } from '#shared/ui'
import type { PagePayload, SettleLine } from './boot.ts'
import { reviveDeferred } from './deferred.ts'

/** `shared`: the page is the same for every visitor (a cached, public one), not this shopper's own. */
export type FetchedPage = { kind: 'page'; payload: PagePayload; data: unknown; shared: boolean } | { kind: 'redirect'; to: string } | { kind: 'fail' }

/**
 * Asks the server for a page's data: the same URL and loader as the HTML, answered as NDJSON.
 * The first line is the page; each later line is one deferred value, which settles its promise.
 * Anything unexpected is `fail`, and the caller falls back to a full page load.
 */
export async function fetchPage(href: string): Promise<FetchedPage> {
  // A path of this site, even one that begins `//` (`/..//host/x`, which a sign-in's `next` may
  // be): fetched as is, `//host/x` would go to that host.
  const url = href.startsWith('/') ? location.origin + href : href
  const res = await fetch(url, { headers: { [DATA_HEADER]: '1' }, credentials: 'same-origin' })
  if (!res.ok || !res.body || !res.headers.get('Content-Type')?.startsWith('application/x-ndjson')) return { kind: 'fail' }
  const lines = readLines(res.body)
  const first = await lines.next()
  if (first.done) return { kind: 'fail' }
  const head = JSON.parse(first.value) as PagePayload | { redirect: string }
  if ('redirect' in head) return { kind: 'redirect', to: head.redirect }
  const { data, settle } = reviveDeferred(head.data, head.deferred, head.settled)
  void (async () => {
    for await (const line of lines) {
      const { key, settled } = JSON.parse(line) as SettleLine
      settle(key, settled)
    }
  })().catch(() => {
    for (const key of head.deferred) settle(key, { error: 'The connection was lost.' })
  })
  return { kind: 'page', payload: head, data, shared: res.headers.get('Cache-Control')?.startsWith('public') ?? false }
}

async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  const reader = body.getReader()
  let buffered = ''
  for (;;) {
    const { value, done } = await reader.read()
    buffered += decoder.decode(value, { stream: !done })
    let newline: number
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      if (line) yield line
    }
    if (done) return
  }
}
