import { Hono, type Context } from 'hono'
import type { Db } from '#shared/db'
import type { SitemapSource } from '#shared/domain'
import type { AppEnv } from './app-env.ts'
import { errorBody } from './errors.ts'
import { publicOrigin } from './public-origin.ts'

/**
 * URLs a sitemap part lists: a fifth of sitemaps.org's limit (50,000), so a part costs what one
 * request may. At a million products a part of 50,000 (6.7 MB) took 110-580 ms to read, write
 * and compress, uncached, the process's other requests waiting; 10,000 are ~1.3 MB.
 */
export const SITEMAP_PART_SIZE = 10_000
const XMLNS = 'http://www.sitemaps.org/schemas/sitemap/0.9'

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
/** Text for an XML element: the five characters XML reserves, escaped. */
export const xmlText = (text: string) => text.replace(/[&<>"']/g, (char) => entities[char]!)

/**
 * How a sitemap answer reaches the client: `render` makes it; `tags` are what drops it from a cache
 * (its sources' `tags`). The default renders every time; the app passes the page cache's.
 */
export type SitemapServe = (c: Context<AppEnv>, tags: string[], render: () => Promise<Response>) => Promise<Response>

/**
 * `/sitemap.xml`, a sitemap index of every domain's sources, and `/sitemap/<source>-<n>.xml`,
 * each part at most SITEMAP_PART_SIZE URLs, streamed from a range of keys as the source reads them (a
 * million products are never held in memory). URLs are absolute (PUBLIC_URL, else the request's
 * origin). Each answer goes through `serve` with its sources' cache tags (the app's: the page
 * cache, so an admin's change drops them with the pages).
 */
export function sitemapRoutes(sources: SitemapSource[], serve: SitemapServe = (_c, _tags, render) => render()): Hono<AppEnv> {
  const byName = new Map(sources.map((source) => [source.name, source]))
  const xml = { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }
  const allTags = [...new Set(sources.flatMap((source) => source.tags ?? []))]
  return new Hono<AppEnv>()
    .get('/sitemap.xml', (c) => serve(c, allTags, () => sitemapIndex(c)))
    .get('/sitemap/:part{[a-z0-9-]+-[1-9][0-9]{0,5}\\.xml}', (c) => {
      const [, name, n] = /^(.+)-(\d+)\.xml$/.exec(c.req.param('part'))!
      const source = byName.get(name!)
      return source ? serve(c, [...(source.tags ?? [])], () => sitemapPart(c, source, Number(n))) : noSuchSitemap(c)
    })

  async function sitemapIndex(c: Context<AppEnv>): Promise<Response> {
    const origin = publicOrigin(c)
    const listed = await Promise.all(sources.map(async (source) => ({ source, parts: await partsWithUrls(c.var.db, source) })))
    const entries = listed.flatMap(({ source, parts }) =>
      parts.map((n) => `<sitemap><loc>${xmlText(`${origin}/sitemap/${source.name}-${n}.xml`)}</loc></sitemap>`),
    )
    // An index must list a sitemap (sitemaps.org: minOccurs 1): with nothing to list there is none.
    if (entries.length === 0) return noSuchSitemap(c)
    return c.body(`<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="${XMLNS}">${entries.join('')}</sitemapindex>\n`, 200, xml)
  }

  async function sitemapPart(c: Context<AppEnv>, source: SitemapSource, part: number): Promise<Response> {
    if ((part - 1) * SITEMAP_PART_SIZE >= (await source.lastKey(c.var.db))) return noSuchSitemap(c)
    const origin = publicOrigin(c)
    const iterator = source.urls(c.var.db, (part - 1) * SITEMAP_PART_SIZE, part * SITEMAP_PART_SIZE)[Symbol.asyncIterator]()
    // Its first URL read before answering: a part with none (a range emptied by deletions) is no
    // sitemap (sitemaps.org refuses a `<urlset>` without a `<url>`), a 404 as the index lists it not.
    let first: IteratorResult<SitemapUrl> | undefined = await iterator.next()
    if (first.done) {
      await iterator.return?.()
      return noSuchSitemap(c)
    }
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${XMLNS}">`))
      },
      // A batch of URLs per pull: the client's pace sets the database's.
      async pull(controller) {
        const batch: string[] = []
        for (let i = 0; i < 500; i++) {
          const next = first ?? (await iterator.next())
          first = undefined
          if (next.done) {
            controller.enqueue(encoder.encode(`${batch.join('')}</urlset>\n`))
            return controller.close()
          }
          const { path, lastModified } = next.value
          batch.push(`<url><loc>${xmlText(origin + path)}</loc>${lastModified ? `<lastmod>${lastModified.toISOString()}</lastmod>` : ''}</url>`)
        }
        controller.enqueue(encoder.encode(batch.join('')))
      },
      async cancel() {
        await iterator.return?.()
      },
    })
    return c.body(body, 200, xml)
  }
}

type SitemapUrl = { path: string; lastModified?: Date }

/**
 * Whether `/sitemap.xml` lists a part (else it is a 404): the first part holding a URL ends the
 * look, so a large catalogue costs one read. For robots.txt, which names the index only then.
 */
export async function sitemapListsAny(db: Db, sources: SitemapSource[]): Promise<boolean> {
  for (const source of sources) {
    const count = Math.ceil((await source.lastKey(db)) / SITEMAP_PART_SIZE)
    for (let n = 1; n <= count; n++) if (await hasUrls(db, source, (n - 1) * SITEMAP_PART_SIZE, n * SITEMAP_PART_SIZE)) return true
  }
  return false
}

/** The numbers of a source's parts that hold a URL: a source with none has no part. */
async function partsWithUrls(db: Db, source: SitemapSource): Promise<number[]> {
  const count = Math.ceil((await source.lastKey(db)) / SITEMAP_PART_SIZE)
  const parts = Array.from({ length: count }, (_, i) => i + 1)
  const full = await Promise.all(parts.map((n) => hasUrls(db, source, (n - 1) * SITEMAP_PART_SIZE, n * SITEMAP_PART_SIZE)))
  return parts.filter((_, i) => full[i])
}

/** The source's own look, or its first URL read (and the rest left). */
async function hasUrls(db: Db, source: SitemapSource, after: number, upTo: number): Promise<boolean> {
  if (source.hasUrls) return source.hasUrls(db, after, upTo)
  const iterator = source.urls(db, after, upTo)[Symbol.asyncIterator]()
  const first = await iterator.next()
  await iterator.return?.()
  return !first.done
}

const noSuchSitemap = (c: Context<AppEnv>) => c.json(errorBody('not_found', 'No such sitemap.'), 404)
