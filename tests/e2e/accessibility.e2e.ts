import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessibilityProblems } from './axe.ts'
import { hydrated, openPage, withServerAndBrowser, type OpenedPage } from './browser.ts'

const admin = { email: 'admin@example.com', password: 'admin password' }
// TRUST_PROXY: each test comes from an address of its own, clear of the per-address login limits.
const env = withServerAndBrowser({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, TRUST_PROXY: 'true' })

type Who = 'visitor' | 'shopper' | 'admin'
type Product = { id: number; slug: string; stock: number }
type Cookies = Awaited<ReturnType<BrowserContext['cookies']>>

/** What the pages under test need: a product of each stock state, a shopper's order, sessions. */
const fixture = { inStock: '', lowStock: '', soldOut: '', productId: 0, orderId: 0 }
const sessions: Record<Who, Cookies> = { visitor: [], shopper: [], admin: [] }
let addresses = 0
const viewers = new Map<string, OpenedPage>()
afterAll(() => Promise.all([...viewers.values()].map((viewer) => viewer.close())))

/**
 * The page of `who`, JavaScript on or off: one browser context each, made at its first use and
 * kept for the file. A new context per test cost as much as the check itself (about half this
 * file's time); each test navigates, so only the viewer's own cookies carry over, as they would
 * for someone going from page to page.
 */
async function openAs(who: Who, { javaScriptEnabled = true } = {}): Promise<Page> {
  const key = `${who}, JavaScript ${javaScriptEnabled}`
  let opened = viewers.get(key)
  if (!opened) {
    opened = await openPage(env.browser, { javaScriptEnabled })
    await opened.page.context().addCookies(sessions[who])
    viewers.set(key, opened)
  }
  const { page } = opened
  await page.setViewportSize({ width: 1280, height: 720 }) // Playwright's default: a test may have narrowed it
  await page.setExtraHTTPHeaders({ 'X-Forwarded-For': `10.0.${Math.floor(++addresses / 250)}.${addresses % 250}` })
  return page
}

beforeAll(async () => {
  const { items } = (await (await fetch(`${env.url}/api/products?limit=100&sort=price-desc`)).json()) as { items: Product[] }
  const product = items.find((p) => p.stock > 10)!
  Object.assign(fixture, { inStock: product.slug, productId: product.id })

  // A shopper with a paid order, and an item left in the cart (so cart and checkout have lines).
  const shopper = await openPage(env.browser)
  const api = shopper.page.request
  const account = { name: 'Ada', email: `a11y-${Date.now()}@example.com`, password: 'a long password' }
  expect((await api.post(`${env.url}/api/auth/register`, { data: account })).status()).toBe(201)
  expect((await api.post(`${env.url}/api/cart/items`, { data: { productId: product.id, quantity: 1 } })).status()).toBe(201)
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' }
  const shipping = { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' }
  const placed = await api.post(`${env.url}/api/orders`, { data: { shipping, card }, headers: { 'Idempotency-Key': `a11y-${Date.now()}` } })
  expect(placed.status()).toBe(201)
  fixture.orderId = ((await placed.json()) as { order: { id: number } }).order.id
  expect((await api.post(`${env.url}/api/cart/items`, { data: { productId: product.id, quantity: 2 } })).status()).toBe(201)
  sessions.shopper = await shopper.page.context().cookies()
  await shopper.close()

  // Low stock and sold out, set by the admin (the page shows a badge for each).
  const signedInAdmin = await openPage(env.browser)
  const adminApi = signedInAdmin.page.request
  expect((await adminApi.post(`${env.url}/api/auth/login`, { data: admin })).status()).toBe(200)
  const [low, out] = items.filter((p) => p.id !== product.id && p.stock > 0).slice(-2) as [Product, Product]
  for (const [p, stock] of [
    [low, 3],
    [out, 0],
  ] as const) {
    expect((await adminApi.patch(`${env.url}/api/products/${p.id}`, { data: { stock } })).status()).toBe(200)
  }
  Object.assign(fixture, { lowStock: low.slug, soldOut: out.slug })
  sessions.admin = await signedInAdmin.page.context().cookies()
  await signedInAdmin.close()
})

/** Opens the page as `who`, waits until it is hydrated (pages that have scripts) and every streamed part is in. */
async function show(who: Who, path: string, { javaScriptEnabled = true } = {}): Promise<Page> {
  const page = await openAs(who, { javaScriptEnabled })
  const response = await page.goto(`${env.url}${path}`)
  expect(response?.status(), path).toBeLessThan(500)
  if (javaScriptEnabled && (await page.evaluate(() => '__TESSERA__' in window))) await hydrated(page)
  await expect.poll(() => page.locator('.skeleton').count()).toBe(0)
  return page
}

async function expectAccessible(page: Page, { javaScriptEnabled = true } = {}): Promise<void> {
  expect(await accessibilityProblems(page, { javaScriptEnabled })).toEqual([])
}

const pages: Array<[name: string, who: Who, path: () => string]> = [
  ['home', 'visitor', () => '/'],
  ['listing', 'visitor', () => '/products'],
  ['listing in a category, page 2', 'visitor', () => '/products?category=kitchen&page=2'],
  ['search', 'visitor', () => '/products?q=mug'],
  ['search without results', 'visitor', () => '/products?q=zzzzqqqq'],
  ['search, a numbered page in the middle', 'visitor', () => '/products?q=a&page=3'],
  ['product in stock', 'visitor', () => `/products/${fixture.inStock}`],
  ['product with low stock', 'visitor', () => `/products/${fixture.lowStock}`],
  ['product sold out', 'visitor', () => `/products/${fixture.soldOut}`],
  ['empty cart', 'visitor', () => '/cart'],
  ['cart', 'shopper', () => '/cart'],
  ['checkout', 'shopper', () => '/checkout'],
  ['login', 'visitor', () => '/login'],
  ['register', 'visitor', () => '/register'],
  // This server has no mail transport (production's default): the pages say resets are not available.
  ['forgot password', 'visitor', () => '/forgot-password'],
  ['reset password', 'visitor', () => `/reset-password?token=${'A'.repeat(43)}`],
  ['log out', 'shopper', () => '/logout'],
  ['account', 'shopper', () => '/account'],
  ['orders', 'shopper', () => '/orders'],
  ['order, just placed', 'shopper', () => `/orders/${fixture.orderId}?placed`],
  ['dashboard', 'shopper', () => '/dashboard'],
  ['admin: products and the new product form', 'admin', () => '/admin/products'],
  ['admin: products, a search', 'admin', () => '/admin/products?q=mug'],
  ['admin: edit a product', 'admin', () => `/admin/products/${fixture.productId}`],
  ['admin: orders', 'admin', () => '/admin/orders'],
  ['admin: an order', 'admin', () => `/admin/orders/${fixture.orderId}`],
  ['not found', 'visitor', () => '/no-such-page'],
  ['forbidden (a shopper on an admin page)', 'shopper', () => '/admin/orders'],
]

describe('every page type has no serious or critical axe violation', () => {
  it('(the check finds them where they are, with JavaScript on and off)', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const page = await show('visitor', '/login', { javaScriptEnabled })
      await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<input name="x"><img src="data:,">'))
      const problems = await accessibilityProblems(page, { javaScriptEnabled })
      expect(problems).toEqual(
        expect.arrayContaining([expect.stringMatching(/^label \(critical\) input\[name="x"\]: /), expect.stringMatching(/^image-alt \(critical\) /)]),
      )
    }
  })

  it.each(pages)('%s', async (_name, who, path) => {
    const page = await show(who, path())
    await expectAccessible(page)
  })
})

describe('on a 320 px phone', () => {
  // A table wider than the screen scrolls inside itself: the keyboard must reach what it hides.
  it.each(pages.filter(([name]) => /cart|orders|an order|admin: products/.test(name)))(
    '%s has no serious or critical axe violation',
    async (_name, who, path) => {
      const page = await openAs(who)
      await page.setViewportSize({ width: 320, height: 700 })
      const response = await page.goto(`${env.url}${path()}`)
      expect(response?.status()).toBeLessThan(500)
      if (await page.evaluate(() => '__TESSERA__' in window)) await hydrated(page)
      await expectAccessible(page)
    },
  )

  it('fits the pagination of a search with two-digit page numbers in the width (no sideways scrolling, WCAG 1.4.10)', async () => {
    const page = await openAs('visitor')
    await page.setViewportSize({ width: 320, height: 700 })
    await page.goto(`${env.url}/products?q=a&page=12`)
    expect(await page.locator('.pagination [aria-current="page"]').textContent()).toBe('12')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
  })
})

describe('by keyboard', () => {
  it.each([true, false])('the first Tab shows "Skip to the page", and Enter takes the next Tab into the page (JavaScript %s)', async (javaScriptEnabled) => {
    const page = await openAs('shopper', { javaScriptEnabled })
    await page.goto(`${env.url}/products`)
    if (javaScriptEnabled) await hydrated(page)
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to the page' })
    expect(await skip.evaluate((link) => link === document.activeElement)).toBe(true)
    expect(await skip.evaluate((link) => link.getBoundingClientRect().top >= 0)).toBe(true) // in view while focused
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true)
    expect(await page.evaluate(() => document.activeElement?.closest('header'))).toBeNull()
  })
})

describe('on a phone', () => {
  it.each([320, 390])('%i px wide, the header menu open: the same', async (width) => {
    const page = await show('shopper', '/products')
    await page.setViewportSize({ width, height: 800 })
    const menu = page.locator('header details > summary')
    if (await menu.isVisible()) await menu.click() // the header's menu on narrow screens, open
    await expectAccessible(page)
  })
})

/** A refused submission of each kind of form, with and without JavaScript. */
const failures: Array<[name: string, who: Who, path: () => string, refuse: (page: Page) => Promise<void>]> = [
  [
    'login, wrong password (a form error)',
    'visitor',
    () => '/login',
    async (page) => {
      await page.getByLabel('Email').fill('nobody@example.com')
      await page.getByLabel('Password').fill('a wrong password')
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.getByText('Wrong email or password.').first().waitFor()
    },
  ],
  [
    'register, fields refused',
    'visitor',
    () => '/register',
    async (page) => {
      await page.getByLabel('Name').fill('   ')
      await page.getByLabel('Email').fill('a@b')
      await page.getByLabel('Password').fill('a long password')
      await page.getByRole('button', { name: 'Create account' }).click()
      await page.getByText('Enter a valid email address').first().waitFor()
    },
  ],
  [
    'checkout, fields refused',
    'shopper',
    () => '/checkout',
    async (page) => {
      for (const [label, value] of [
        ['Full name', 'Ada'],
        ['Address', ' '],
        ['City', 'London'],
        ['Postal code', 'N1'],
        ['Country code', 'G1'],
        ['Card number', '1234'],
        ['Expiry month', '13'],
        ['Expiry year', '2099'],
        ['CVC', '12'],
      ]) {
        await page.getByLabel(label!, { exact: true }).fill(value!)
      }
      await page.getByRole('button', { name: 'Place order' }).click()
      await page.getByText('Enter the card number').first().waitFor()
    },
  ],
  [
    'account, wrong current password',
    'shopper',
    () => '/account',
    async (page) => {
      await page.getByLabel('Current password').fill('not my password')
      await page.getByLabel('New password').fill('another long password')
      await page.getByRole('button', { name: 'Change password' }).click()
      await page.locator('.form-error, .field-error').filter({ hasText: /\S/ }).first().waitFor()
    },
  ],
  [
    'cart, too many of one product',
    'shopper',
    () => '/cart',
    async (page) => {
      await page.getByRole('spinbutton').first().fill('99')
      await page.getByRole('button', { name: 'Update' }).first().click()
      await page.locator('.form-error, .field-error').filter({ hasText: /\S/ }).first().waitFor()
    },
  ],
  [
    'admin: new product refused',
    'admin',
    () => '/admin/products',
    async (page) => {
      await page.getByLabel('Name', { exact: true }).fill('A new lamp')
      await page.getByLabel('Price (USD)').fill('free')
      await page.getByLabel('Stock').fill('2')
      await page.getByRole('button', { name: 'Create product' }).click()
      await page.getByText('Enter a price, e.g. 12.50').first().waitFor()
    },
  ],
  [
    'admin: stock adjustment refused',
    'admin',
    () => `/admin/products/${fixture.productId}`,
    async (page) => {
      await page.getByLabel(/Add or remove/).fill('-100000000')
      await page.getByRole('button', { name: 'Adjust' }).click()
      await page.locator('.form-error, .field-error').filter({ hasText: /\S/ }).first().waitFor()
    },
  ],
]

describe('the same after a refused submission', () => {
  for (const javaScriptEnabled of [true, false]) {
    it.each(failures)(`%s (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async (_name, who, path, refuse) => {
      const page = await show(who, path(), { javaScriptEnabled })
      await refuse(page)
      await expectAccessible(page, { javaScriptEnabled })
    })
  }
})
