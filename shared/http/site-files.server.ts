import { hash } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { conditionalAnswer } from './answer-preconditions.server.ts'
import type { AppEnv } from './app-env.ts'
import { publicOrigin } from './public-origin.ts'

const ACCENT = [0x24, 0x56, 0xd6] // --accent in shared/ui/styles.css

/** The icon as SVG: what browsers that read `<link rel="icon" type="image/svg+xml">` use. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#${ACCENT.map((c) => c.toString(16).padStart(2, '0')).join('')}"/><path d="M8 9h16v4h-6v12h-4V13H8z" fill="#fff"/></svg>`

/**
 * `/favicon.ico`, which browsers and crawlers ask for whatever the page says: a 16×16 icon of the
 * accent colour, built here (an ICO holding one 32-bit bitmap) so the artifact needs no file.
 */
function faviconIco(): Uint8Array<ArrayBuffer> {
  const size = 16
  const pixels = size * size * 4
  const mask = (size / 8 + 2) * size // 1 bit a pixel, rows padded to 4 bytes
  const image = 40 + pixels + mask
  const ico = new DataView(new ArrayBuffer(6 + 16 + image))
  ico.setUint16(2, 1, true) // an icon
  ico.setUint16(4, 1, true) // one image
  ico.setUint8(6, size)
  ico.setUint8(7, size)
  ico.setUint16(10, 1, true) // planes
  ico.setUint16(12, 32, true) // bits a pixel
  ico.setUint32(14, image, true)
  ico.setUint32(18, 22, true) // where the image starts
  ico.setUint32(22, 40, true) // BITMAPINFOHEADER
  ico.setInt32(26, size, true)
  ico.setInt32(30, size * 2, true) // colour and mask, stacked
  ico.setUint16(34, 1, true)
  ico.setUint16(36, 32, true)
  ico.setUint32(42, pixels + mask, true)
  for (let i = 0; i < size * size; i++) {
    const at = 62 + i * 4
    ico.setUint8(at, ACCENT[2]!) // BGRA
    ico.setUint8(at + 1, ACCENT[1]!)
    ico.setUint8(at + 2, ACCENT[0]!)
    ico.setUint8(at + 3, 0xff)
  }
  return new Uint8Array(ico.buffer)
}

export interface SiteFilesOptions {
  /** Path prefixes crawlers should skip (every domain's `noCrawl`, and `/api`). */
  noCrawl: string[]
  /** `deny`: a site that must not be indexed at all (a staging copy): `Disallow: /`. */
  crawlers: 'allow' | 'deny'
  /** The store's name, for the web app manifest. */
  name: string
  /** Whether `/sitemap.xml` lists anything now (it is a 404 when it lists nothing): robots.txt then points at it. */
  sitemap: (c: Context<AppEnv>) => Promise<boolean>
}

/**
 * What browsers and crawlers ask every site for: `/robots.txt`, `/favicon.ico` (and the SVG the
 * pages name), `/manifest.webmanifest`. Made once; a day in caches.
 */
export function siteFiles({ noCrawl, crawlers, name, sitemap }: SiteFilesOptions): Hono<AppEnv> {
  const robots = [
    'User-agent: *',
    ...(crawlers === 'deny' ? ['Disallow: /'] : ['Allow: /', ...[...new Set(noCrawl)].sort().map((path) => `Disallow: ${path}`)]),
    '',
  ].join('\n')
  const manifest = JSON.stringify({
    name,
    short_name: name,
    start_url: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: `#${ACCENT.map((c) => c.toString(16).padStart(2, '0')).join('')}`,
    icons: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
  })
  const ico = faviconIco()
  // Content-Length named here, not left to the server: it counts a GET's body, but a HEAD's
  // answer has none, and would say nothing of the size (crawlers and link checkers ask by HEAD).
  // Tagged by their bytes (robots.txt names the request's origin without PUBLIC_URL): a browser or
  // CDN revalidating after its day gets a 304.
  const file = (c: Context<AppEnv>, body: string | Uint8Array<ArrayBuffer>, type: string) => {
    const bytes = typeof body === 'string' ? encoder.encode(body) : body
    const etag = `"${hash('sha1', bytes, 'base64url')}"`
    c.header('Cache-Control', 'public, max-age=86400')
    const answer = conditionalAnswer(c, { etag }, type)
    if (answer instanceof Response) return answer
    return c.body(bytes, 200, { 'Content-Type': type, 'Content-Length': String(bytes.byteLength), ETag: etag })
  }
  return new Hono<AppEnv>()
    .get('/robots.txt', async (c) =>
      file(c, crawlers === 'allow' && (await sitemap(c)) ? `${robots}Sitemap: ${publicOrigin(c)}/sitemap.xml\n` : robots, 'text/plain; charset=UTF-8'),
    )
    .get('/favicon.ico', (c) => file(c, ico, 'image/x-icon'))
    .get('/favicon.svg', (c) => file(c, FAVICON_SVG, 'image/svg+xml'))
    .get('/manifest.webmanifest', (c) => file(c, manifest, 'application/manifest+json'))
}

const encoder = new TextEncoder()
