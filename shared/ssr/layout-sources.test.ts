import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { defineDomain } from '#shared/domain'
import { SESSION_COOKIE } from '#shared/http'
import { layoutSources } from './layout-sources.server.ts'
import { createRenderer } from './render-page.server.tsx'

/** A header with a counted badge, a viewer signed in by any session cookie, and a log of counts. */
function headerApp({ failing = false } = {}) {
  const counted: string[] = []
  const errors: unknown[] = []
  const shop = defineDomain({
    name: 'shop',
    nav: [
      { href: '/basket', label: 'Basket', badge: { name: 'basket', units: ['item', 'items'] }, pinned: true },
      { href: '/inbox', label: 'Inbox', show: 'signed-in', badge: { name: 'inbox', units: ['message', 'messages'] } },
    ],
    badges: {
      basket: async () => {
        counted.push('basket')
        if (failing) throw new Error('the database is gone')
        return 2
      },
      inbox: async () => {
        counted.push('inbox')
        return 5
      },
    },
    personalCookies: ['shop_basket'],
  })
  const auth = defineDomain({
    name: 'auth',
    viewer: async (c) => (c.req.header('Cookie')?.includes(SESSION_COOKIE) ? { name: 'Ada', role: 'customer' } : null),
  })
  const renderer = createRenderer({
    ...layoutSources([auth, shop]),
    assetsFor: () => ({ entry: '/entry.js', inlineCss: '', css: [], preload: [] }),
    renderTimeoutMs: 1000,
    exposeErrors: false,
    onError: (err) => errors.push(err),
  })
  const app = new Hono().get('/', async (c) => c.json(await renderer.layoutFor(c)))
  const header = async (cookie?: string) =>
    (await (await app.request('/', { headers: cookie ? { Cookie: cookie } : {} })).json()) as { badges: Record<string, number> }
  return { header, counted, errors }
}

describe("the layout's badges", () => {
  it('are not counted for a request without a personal cookie: it sees what a cached page shows', async () => {
    const { header, counted } = headerApp()
    expect((await header()).badges).toEqual({})
    expect((await header('theme=dark; shop_basketful=1')).badges).toEqual({})
    expect(counted).toEqual([])
  })

  it("are counted with a domain's personal cookie, only those the viewer's navigation shows", async () => {
    const { header, counted } = headerApp()
    expect((await header('theme=dark; shop_basket=abc')).badges).toEqual({ basket: 2 })
    expect(counted).toEqual(['basket'])
  })

  it('are counted with a session, for what a signed-in viewer sees', async () => {
    const { header } = headerApp()
    expect((await header(`${SESSION_COOKIE}=t`)).badges).toEqual({ basket: 2, inbox: 5 })
  })

  it('show no count when a counter fails, and report it, without failing the page', async () => {
    const { header, errors } = headerApp({ failing: true })
    expect((await header('shop_basket=abc')).badges).toEqual({ basket: 0 })
    expect(errors).toHaveLength(1)
  })
})

describe('layoutSources', () => {
  it("takes the session's cookie and every domain's personal cookies, once each, by both their names (__Host- when Secure)", () => {
    const a = defineDomain({ name: 'a', personalCookies: ['cart', 'wishlist'] })
    const b = defineDomain({ name: 'b', personalCookies: ['cart'] })
    expect(layoutSources([a, b]).personalCookies).toEqual([SESSION_COOKIE, `__Host-${SESSION_COOKIE}`, 'cart', '__Host-cart', 'wishlist', '__Host-wishlist'])
  })

  it('refuses a badge two domains count, and a nav item whose badge no domain counts', () => {
    const count = async () => 1
    expect(() => layoutSources([defineDomain({ name: 'a', badges: { cart: count } }), defineDomain({ name: 'b', badges: { cart: count } })])).toThrow(
      /Two domains count the badge "cart"/,
    )
    const typo = defineDomain({
      name: 'a',
      nav: [{ href: '/cart', label: 'Cart', badge: { name: 'crat', units: ['item', 'items'] } }],
      badges: { cart: count },
    })
    expect(() => layoutSources([typo])).toThrow(/shows the badge "crat", which no domain counts/)
  })

  it('orders the navigation of every domain', () => {
    const a = defineDomain({ name: 'a', nav: [{ href: '/z', label: 'Z', order: 2 }] })
    const b = defineDomain({ name: 'b', nav: [{ href: '/y', label: 'Y', order: 1 }] })
    expect(layoutSources([a, b]).nav.map((item) => item.href)).toEqual(['/y', '/z'])
  })
})
