import type { Page, Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hydrated, openPage, withServerAndBrowser } from './browser.ts'

/*
 * A shopper with two tabs of one browser (one cookie jar): what one tab does changes the other's
 * next request. Chromium, not a model of its cookie jar.
 */

// SESSION_SECRET, as a production store sets it: without it no checkout address is kept (735cef1).
const env = withServerAndBrowser({ TRUST_PROXY: 'true', SESSION_SECRET: 'a-session-secret-for-the-two-tabs-test' })

async function twoProducts(): Promise<{ slug: string; name: string }[]> {
  const { items } = await (await fetch(`${env.url}/api/products?category=decor&limit=20`)).json()
  return (items as { slug: string; name: string; stock: number }[]).filter((product) => product.stock > 2).slice(0, 2)
}

describe('two tabs of one shopper', () => {
  it('a new visitor adding in both at once, without JavaScript, keeps both products', async () => {
    const { page, problems, close } = await openPage(env.browser, { javaScriptEnabled: false })
    const other = await page.context().newPage()
    const [first, second] = await twoProducts()
    await page.goto(`${env.url}/products/${first!.slug}`)
    await other.goto(`${env.url}/products/${second!.slug}`)
    // Both posts are held until both are sent: neither carries a cart cookie.
    const held: Route[] = []
    let release: () => void = () => {}
    const bothSent = new Promise<void>((resolve) => {
      release = resolve
    })
    const hold = async (route: Route) => {
      if (route.request().method() !== 'POST') return route.continue()
      held.push(route)
      if (held.length === 2) release()
      await bothSent
      expect(route.request().headers().cookie ?? '').not.toMatch(/tessera_cart/)
      await route.continue()
    }
    await page.context().route('**/cart', hold)
    await Promise.all([
      page.getByRole('button', { name: 'Add to cart' }).click(),
      other.getByRole('button', { name: 'Add to cart' }).click(),
      page.getByRole('heading', { name: 'Your cart' }).waitFor(),
      other.getByRole('heading', { name: 'Your cart' }).waitFor(),
    ])
    await page.context().unroute('**/cart', hold)
    await page.goto(`${env.url}/cart`)
    // The old code made two carts under one cookie name: the browser kept one, a product was gone.
    expect([await page.getByRole('link', { name: first!.name }).count(), await page.getByRole('link', { name: second!.name }).count()]).toEqual([1, 1])
    const cartCookies = (await page.context().cookies()).filter((cookie) => /^(__Host-)?tessera_cart/.test(cookie.name))
    expect(cartCookies).toHaveLength(1) // merged, the other cleared
    expect(problems).toEqual([])
    await close()
  })

  it('an address typed in a tab signed out from the other comes back after logging in (JavaScript on)', async () => {
    const { page, problems, close } = await openPage(env.browser)
    const email = `tabs-${Date.now()}@example.com`
    const [product] = await twoProducts()
    await page.goto(`${env.url}/register`)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Name').fill('Two Tabs')
    await page.getByLabel('Password').fill('a long password')
    await page.getByRole('button', { name: /Create/ }).click()
    await page.waitForURL(`${env.url}/`)
    await page.goto(`${env.url}/products/${product!.slug}`)
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.locator('header').getByRole('link', { name: 'Cart 1 item' }).waitFor() // the add done: going on earlier cut its page short
    await page.goto(`${env.url}/checkout`)
    await hydrated(page)
    await fill(page)
    // The other tab logs out: this one's next post carries no session.
    const other: Page = await page.context().newPage()
    await other.goto(`${env.url}/account`)
    await other.getByRole('button', { name: 'Log out' }).click()
    await other.waitForURL(`${env.url}/`)
    await page.getByRole('button', { name: 'Place order' }).click()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    expect(new URL(page.url()).search).toBe('?next=%2Fcheckout')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill('a long password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('heading', { name: 'Checkout' }).waitFor()
    expect(await page.getByLabel('Full name').inputValue()).toBe('Ada Łovelace')
    expect(await page.getByLabel('City').inputValue()).toBe('Zürich')
    expect(await page.getByLabel('Card number').inputValue()).toBe('')
    expect(problems.filter((problem) => !/\b(401|422)\b/.test(problem))).toEqual([])
    await close()
  })
})

async function fill(page: Page) {
  await page.getByLabel('Full name').fill('Ada Łovelace')
  await page.getByLabel('Address', { exact: true }).fill('1 Bahnhofstrasse')
  await page.getByLabel('City').fill('Zürich')
  await page.getByLabel('Postal code').fill('8001')
  await page.getByLabel('Country code').fill('CH')
  await page.getByLabel('Card number').fill('4242 4242 4242 4242')
  await page.getByLabel('Expiry month').fill('12')
  await page.getByLabel('Expiry year').fill('2099')
  await page.getByLabel('CVC').fill('123')
}
