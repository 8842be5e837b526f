import type { PageCache } from '#shared/cache'
import type { PageCacheRule } from '#shared/domain'
import type { SitemapServe } from '#shared/http'
import { serveCached } from './serve-cached.server.ts'

/**
 * The page cache for answers that are the same whoever asks (the sitemap): kept `maxAge` seconds
 * and dropped by their tags like pages (an admin's change reaches them at once). A body over
 * `maxBodyBytes` streams through uncached, as it is read: a large catalogue's sitemap part is
 * megabytes, and a crawl must not push the pages out of the cache.
 * @example sitemapRoutes(sources, cachedAnswers(pageCache, { maxAge: 3600, maxBodyBytes: 4 << 20 }))
 */
export function cachedAnswers(cache: PageCache, { maxAge, maxBodyBytes }: { maxAge: number; maxBodyBytes: number }): SitemapServe {
  const rule: PageCacheRule<unknown> = { maxAge, query: [] }
  return (c, tags, render) => {
    if (!cache.enabled) return render()
    return serveCached(c, cache, rule, async () => {
      const res = await render()
      if (res.status !== 200 || !res.body) return { res, tags }
      const read = await readUpTo(res.body, maxBodyBytes)
      return 'whole' in read ? { res: new Response(read.whole, res), tags } : { res: new Response(read.rest, res), tags, cacheable: false }
    })
  }
}

/** The whole body when it ends within `maxBytes`; else a stream of it all that reads the rest on demand. */
async function readUpTo(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<{ whole: Uint8Array<ArrayBuffer> } | { rest: ReadableStream<Uint8Array> }> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let bytes = 0
  while (bytes <= maxBytes) {
    const { done, value } = await reader.read()
    if (done) return { whole: Buffer.concat(chunks, bytes) }
    chunks.push(value)
    bytes += value.byteLength
  }
  return {
    rest: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk)
      },
      async pull(controller) {
        const { done, value } = await reader.read()
        if (done) controller.close()
        else controller.enqueue(value)
      },
      cancel: (reason) => reader.cancel(reason),
    }),
  }
}
