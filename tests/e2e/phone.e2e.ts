import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hydrated, markWindow, openPage, withServerAndBrowser, windowMarker, type OpenedPage } from './browser.ts'

/*
 * A shopper on a phone (#13 items 16 and 18): from 320 px wide the page never scrolls sideways
 * and every item of the header's navigation can be reached, seen and used, signed out, signed in
 * and as an admin (the longest navigation), with and without JavaScript, by pointer and keyboard;
 * and the header's cart count follows an add to cart, without a reload when JavaScript runs.
 */

const ADMIN = { email: 'phone-admin@example.com', password: 'phone admin password' }
const env = withServerAndBrowser({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password })

type Role = 'visitor' | 'customer' | 'admin'
type NavEntry = { href: string; label: string; method?: 'get' | 'post' }

const PHONES = [320, 390]

/** A page for `role` at `width` × 844 (a phone's height), signed in through the API when asked. */
async function openAs(role: Role, width: number, { javaScriptEnabled = true } = {}): Promise<OpenedPage> {
  const opened = await openPage(env.browser, { javaScriptEnabled })
  await opened.page.setViewportSize({ width, height: 844 })
  const api = opened.page.context().request
  if (role === 'customer') {
    const email = `phone-${width}-${Date.now()}@example.com`
    expect((await api.post(`${env.url}/api/auth/register`, { data: { email, name: 'Phone Shopper', password: 'a long password' } })).status()).toBe(201)
  }
  if (role === 'admin') expect((await api.post(`${env.url}/api/auth/login`, { data: ADMIN })).status()).toBe(200)
  return opened
}

let someProduct: { id: number; slug: string } | undefined
async function product(): Promise<{ id: number; slug: string }> {
  someProduct ??= (
    (await (await fetch(`${env.url}/api/products?limit=20&sort=price-desc`)).json()) as { items: { id: number; slug: string; stock: number }[] }
  ).items.find((p) => p.stock > 10)!
  return someProduct
}

/** Page types each role visits: listings, a product, forms, tables, an error page, admin pages. */
async function pagesFor(role: Role): Promise<string[]> {
  const { id, slug } = await product()
  if (role === 'visitor') return ['/', '/products?q=mug', `/products/${slug}`, '/cart', '/login', '/register', '/no/such/page']
  if (role === 'customer') return ['/', `/products/${slug}`, '/cart', '/orders', '/account', '/dashboard']
  return ['/products', '/admin/products', `/admin/products/${id}`, '/admin/orders']
}

const header = (page: Page) => page.locator('header.site-header')
const menuToggle = (page: Page) => header(page).locator('summary', { hasText: 'Menu' })
const isMenuOpen = (page: Page) =>
  header(page)
    .locator('details.site-menu')
    .evaluate((menu) => (menu as HTMLDetailsElement).open)

/** A nav item in the header, by its label (a count may follow: "Cart 2 items"). */
function navControl(page: Page, { label, method }: NavEntry): Locator {
  const name = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\d+ \\w+)?$`)
  return header(page).getByRole(method === 'post' ? 'button' : 'link', { name })
}

/** What this viewer's navigation holds, as the server sent it for hydration. */
function navOf(page: Page): Promise<NavEntry[]> {
  return page.evaluate(() => (window as unknown as { __TESSERA__: { nav: NavEntry[] } }).__TESSERA__.nav)
}

async function expectNoSidewaysScroll(page: Page, where: string) {
  const { scrollWidth, clientWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    innerWidth: window.innerWidth,
  }))
  expect(scrollWidth, `${where}: the page is wider than the screen`).toBeLessThanOrEqual(Math.min(clientWidth, innerWidth))
}

/** Shows the item (opening the menu when it is folded into it), then checks it is on screen and usable. */
async function expectReachable(page: Page, item: NavEntry, where: string) {
  const control = navControl(page, item)
  if (!(await control.isVisible())) {
    expect(await isMenuOpen(page), `${where}: ${item.label} is hidden with the menu open`).toBe(false)
    await menuToggle(page).click()
  }
  expect(await control.isVisible(), `${where}: ${item.label} not visible`).toBe(true)
  const box = (await control.boundingBox())!
  const width = page.viewportSize()!.width
  expect(box.x, `${where}: ${item.label} starts off screen`).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width, `${where}: ${item.label} ends off screen`).toBeLessThanOrEqual(width)
  expect(box.height, `${where}: ${item.label} is too small to tap`).toBeGreaterThanOrEqual(24)
  await control.click({ trial: true, timeout: 2000 }) // visible, stable, enabled, and nothing covers it
}

async function closeMenu(page: Page) {
  if (await isMenuOpen(page)) await menuToggle(page).click()
}

describe('long words on a phone', () => {
  it('a product named with one long word (or a run of emoji) stays within the screen at 320 px; its description keeps its line breaks', async () => {
    const { page, problems, close } = await openAs('admin', 320)
    const word = 'Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz'
    for (const name of [`${word} poster`, `${'🎉'.repeat(60)} party`]) {
      const created = await page.context().request.post(`${env.url}/api/products`, {
        data: { name, description: 'First paragraph.\n\nSecond:\n- one\n- two', priceCents: 1200, stock: 5, category: 'decor' },
        headers: { Origin: env.url },
      })
      expect(created.status()).toBe(201)
      const { product } = (await created.json()) as { product: { id: number; slug: string } }
      for (const path of [
        `/products?q=${encodeURIComponent(name.split(' ').at(-1)!)}&sort=newest`,
        `/products/${product.slug}`,
        `/admin/products/${product.id}`,
      ]) {
        await page.goto(`${env.url}${path}`)
        await hydrated(page)
        await expectNoSidewaysScroll(page, `${name.slice(0, 12)}… ${path}`)
      }
      await page.goto(`${env.url}/products/${product.slug}`)
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, its line breaks shown or not
      expect(await page.locator('.product-description').innerText()).toBe('First paragraph.\n\nSecond:\n- one\n- two')
    }
    expect(problems).toEqual([])
    await close()
  })
})

describe('the header on a phone', () => {
  for (const width of PHONES) {
    for (const role of ['visitor', 'customer', 'admin'] as const) {
      it(`${role} at ${width} px: no sideways scroll, every nav item reachable, on every page type`, async () => {
        const { page, problems, close } = await openAs(role, width)
        const must = { visitor: ['Log in', 'Register', 'Cart'], customer: ['Account', 'Log out', 'Orders'], admin: ['Admin', 'All orders', 'Log out'] }[role]
        await page.goto(`${env.url}/`)
        await hydrated(page)
        const nav = await navOf(page)
        expect(nav.map((item) => item.label)).toEqual(expect.arrayContaining(must))
        for (const path of await pagesFor(role)) {
          await page.goto(`${env.url}${path}`)
          const where = `${role} ${width}px ${path}`
          if (!path.startsWith('/no/')) await hydrated(page) // an error page has no scripts
          await expectNoSidewaysScroll(page, where)
          for (const item of nav) {
            await expectReachable(page, item, where)
            await expectNoSidewaysScroll(page, `${where} (menu open)`)
          }
          await closeMenu(page)
        }
        // A real tap on the last item in the menu: it goes there, and the menu closes behind it.
        await page.goto(`${env.url}/`)
        await hydrated(page)
        const last = nav.filter((item) => item.method !== 'post' && item.href !== '/cart').at(-1)!
        await menuToggle(page).click()
        await navControl(page, last).click()
        await page.waitForURL(`${env.url}${last.href}`)
        expect(await isMenuOpen(page)).toBe(false)
        expect(problems.filter((problem) => !/\b40[34]\b/.test(problem))).toEqual([]) // the missing page's 404 is expected
        await close()
      })
    }
  }

  it('closes the menu when Back shows the page before, not when the same page shows another query', async () => {
    const { page, problems, close } = await openAs('visitor', 390)
    await page.goto(`${env.url}/`)
    await hydrated(page)
    await page.getByRole('link', { name: 'Browse all products →' }).click()
    await page.waitForURL(`${env.url}/products`)
    await menuToggle(page).click()
    expect(await isMenuOpen(page)).toBe(true)
    await page.goBack()
    await page.waitForURL(`${env.url}/`)
    await expect.poll(() => isMenuOpen(page)).toBe(false)
    expect(problems).toEqual([])
    await close()

    // Another query of the same page (the search box's results arriving) leaves it as the shopper set it.
    const searching = await openAs('visitor', 390)
    await searching.page.goto(`${env.url}/products`)
    await hydrated(searching.page)
    await searching.page.getByRole('searchbox').fill('mug')
    await menuToggle(searching.page).click()
    await searching.page.waitForURL(/q=mug/)
    await searching.page.getByRole('heading', { name: 'Results for “mug”' }).waitFor()
    expect(await isMenuOpen(searching.page)).toBe(true)
    // A link of the page below it, to the same path with another query (a category): it closes.
    await searching.page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Audio' }).click({ force: true })
    await searching.page.waitForURL(/category=audio/)
    await expect.poll(() => isMenuOpen(searching.page)).toBe(false)
    expect(searching.problems).toEqual([])
    await searching.close()
  })

  it('without JavaScript: the menu opens, and its links and the log-out button work', async () => {
    const { page, problems, close } = await openAs('customer', 320, { javaScriptEnabled: false })
    await page.goto(`${env.url}/`)
    await expectNoSidewaysScroll(page, 'no JS, 320px /')
    expect(await navControl(page, { href: '/account', label: 'Account' }).isVisible()).toBe(false)
    await menuToggle(page).click()
    await navControl(page, { href: '/account', label: 'Account' }).click()
    await page.getByRole('heading', { name: 'Your account' }).waitFor()
    await menuToggle(page).click()
    await navControl(page, { href: '/logout', label: 'Log out', method: 'post' }).click()
    await page.waitForLoadState('load')
    await menuToggle(page).click()
    expect(await navControl(page, { href: '/login', label: 'Log in' }).isVisible()).toBe(true)
    expect(problems).toEqual([])
    await close()
  })

  for (const javaScriptEnabled of [true, false]) {
    it(`by keyboard (JavaScript ${javaScriptEnabled ? 'on' : 'off'}): Tab to Menu, Enter opens it, Tab reaches its links, Enter follows one`, async () => {
      const { page, close } = await openAs('visitor', 320, { javaScriptEnabled })
      await page.goto(`${env.url}/`)
      if (javaScriptEnabled) await hydrated(page)
      await header(page).getByRole('link', { name: 'Tessera' }).focus()
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu')
      await page.keyboard.press('Enter')
      expect(await isMenuOpen(page)).toBe(true)
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Products')
      if (javaScriptEnabled) {
        await page.keyboard.press('Escape') // closes it, back on Menu
        expect(await isMenuOpen(page)).toBe(false)
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu')
        await page.keyboard.press('Enter')
        await page.keyboard.press('Tab')
      }
      await page.keyboard.press('Enter')
      await page.waitForURL(`${env.url}/products`)
      await page.getByRole('heading', { name: 'All products' }).waitFor()
      await close()
    })
  }

  it('closes the menu when Tab moves the focus out of it, so its panel never covers the focused control', async () => {
    const { page, problems, close } = await openAs('customer', 390)
    await page.goto(`${env.url}/products`)
    await hydrated(page)
    await menuToggle(page).focus()
    await page.keyboard.press('Enter')
    expect(await isMenuOpen(page)).toBe(true)
    const insideMenu = () => page.evaluate(() => Boolean(document.activeElement?.closest('details.site-menu')))
    for (let tabs = 0; tabs < 20 && (await insideMenu()); tabs++) await page.keyboard.press('Tab')
    expect(await insideMenu()).toBe(false)
    await expect.poll(() => isMenuOpen(page)).toBe(false)
    expect(problems).toEqual([])
    await close()
  })

  it('at 1280 px (and a tablet) the navigation is one row: no Menu, every item in view', async () => {
    for (const width of [1280, 800]) {
      const { page, close } = await openAs('admin', width)
      await page.goto(`${env.url}/admin/products`)
      await hydrated(page)
      await expectNoSidewaysScroll(page, `admin ${width}px`)
      if (width === 1280) {
        expect(await menuToggle(page).isVisible()).toBe(false)
        for (const item of await navOf(page)) expect(await navControl(page, item).isVisible(), item.label).toBe(true)
        expect(await header(page).getByText('Signed in as').isVisible()).toBe(true)
      } else {
        for (const item of await navOf(page)) await expectReachable(page, item, `admin ${width}px`)
      }
      await close()
    }
  })
})

describe("the header's cart count", () => {
  const cartLink = (page: Page) => header(page).getByRole('link', { name: /^Cart/ })

  it('with JavaScript: follows an add to cart without a reload, then client navigation and a reload agree', async () => {
    const { page, problems, close } = await openAs('visitor', 390)
    await page.goto(`${env.url}/products/${(await product()).slug}`)
    await hydrated(page)
    await markWindow(page)
    expect(await cartLink(page).textContent()).toBe('Cart')
    await page.getByLabel('Quantity').fill('2')
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.getByText('Added to your cart.').first().waitFor({ timeout: 5000 })
    await header(page).getByRole('link', { name: 'Cart 2 items' }).waitFor({ timeout: 5000 }) // in view on a phone: pinned outside the menu
    await page.getByLabel('Quantity').fill('1')
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await header(page).getByRole('link', { name: 'Cart 3 items' }).waitFor({ timeout: 5000 })
    expect(await windowMarker(page)).toBe(42)

    await menuToggle(page).click()
    await header(page).getByRole('link', { name: 'Products', exact: true }).click() // client navigation: the count comes with the data
    await page.getByRole('heading', { name: 'All products' }).waitFor()
    expect(await cartLink(page).getAttribute('href')).toBe('/cart')
    expect(await header(page).getByRole('link', { name: 'Cart 3 items' }).isVisible()).toBe(true)
    expect(await windowMarker(page)).toBe(42)

    await page.reload()
    expect(await header(page).getByRole('link', { name: 'Cart 3 items' }).isVisible()).toBe(true) // rendered by the server
    expect(problems).toEqual([])
    await close()
  })

  it('without JavaScript: the form posts, and the count shows after the redirect', async () => {
    const { page, problems, close } = await openAs('visitor', 390, { javaScriptEnabled: false })
    await page.goto(`${env.url}/products/${(await product()).slug}`)
    expect(await cartLink(page).textContent()).toBe('Cart')
    await page.getByLabel('Quantity').fill('2')
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.getByRole('heading', { name: 'Your cart' }).waitFor()
    expect(await header(page).getByRole('link', { name: 'Cart 2 items' }).isVisible()).toBe(true)
    expect(problems).toEqual([])
    await close()
  })
})
