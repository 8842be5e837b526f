import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hydrated, openPage, withServerAndBrowser } from './browser.ts'

// TRUST_PROXY: each sign-up through the API comes from an address of its own, clear of the per-address limit.
const env = withServerAndBrowser({ TRUST_PROXY: 'true' })

async function fillCard(page: Page, number: string) {
  await page.getByLabel('Card number').fill(number)
  await page.getByLabel('Expiry month').fill('12')
  await page.getByLabel('Expiry year').fill('2099')
  await page.getByLabel('CVC').fill('123')
}

/** The checkout's shipping fields, as a shopper types them. */
async function fillAddress(page: Page, address: { name: string; line1: string; city: string; postalCode: string; country: string }) {
  await page.getByLabel('Full name').fill(address.name)
  await page.getByLabel('Address', { exact: true }).fill(address.line1)
  await page.getByLabel('City').fill(address.city)
  await page.getByLabel('Postal code').fill(address.postalCode)
  await page.getByLabel('Country code').fill(address.country)
}

/** Add to cart → sign up on the way to checkout → pay → the order → the dashboard. */
async function purchase(page: Page, { js }: { js: boolean }) {
  const { items } = await (await fetch(`${env.url}/api/products?limit=50&sort=price-desc`)).json()
  const product = items.find((p: { stock: number }) => p.stock > 5)
  await page.goto(`${env.url}/products/${product.slug}`)
  await page.getByLabel('Quantity').fill('2')
  if (js) await hydrated(page)
  await page.getByRole('button', { name: 'Add to cart' }).click()
  // With JavaScript the typed cart API adds it in place; without, the form posts to /cart.
  if (js) await page.getByRole('link', { name: 'View cart' }).click()
  await page.getByRole('heading', { name: 'Your cart' }).waitFor()
  expect(await page.getByRole('link', { name: product.name }).count()).toBe(1)

  await page.getByRole('link', { name: 'Check out' }).click()
  await page.getByRole('heading', { name: 'Log in' }).waitFor()
  expect(new URL(page.url()).search).toBe('?next=%2Fcheckout')
  await page.getByRole('link', { name: 'Create an account' }).click()
  await page.getByRole('heading', { name: 'Create an account' }).waitFor()
  if (js) await hydrated(page)
  await page.getByLabel('Name').fill('Barbara')
  await page.getByLabel('Email').fill(`barbara-${js ? 'js' : 'nojs'}-${Date.now()}@example.com`)
  await page.getByLabel('Password').fill('a long password')
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'Checkout' }).waitFor()
  expect(await page.getByText(`2 × ${product.name}`).count()).toBe(1) // the visitor's cart came along

  if (js) await hydrated(page)
  await fillAddress(page, { name: 'Barbara Liskov', line1: '545 Technology Square', city: 'Cambridge', postalCode: '02139', country: 'US' })
  await fillCard(page, '4000 0000 0000 0002')
  await page.getByRole('button', { name: 'Place order' }).click()
  await page.getByText('Your card was declined.').first().waitFor()
  expect(await page.getByLabel('City').inputValue()).toBe('Cambridge') // the address is kept…
  if (!js) expect(await page.getByLabel('Card number').inputValue()).toBe('') // …the card number is never echoed back…
  if (!js) expect(await page.getByLabel('Expiry month').inputValue()).toBe('12') // …its expiry date is

  // Another tab takes one more while this page shows two: the order waits for the shopper to see it.
  const otherTab = await page.context().request.patch(`${env.url}/api/cart/items/${product.id}`, { data: { quantity: 3 } })
  expect(otherTab.status()).toBe(200)
  await fillCard(page, '4242 4242 4242 4242')
  await page.getByRole('button', { name: 'Place order' }).click()
  await page.getByText('Your cart has changed since this page showed it').first().waitFor()
  await page.getByText(`3 × ${product.name}`).waitFor() // the page shows the cart as it is now

  // Card fields are never sent back to the page: the shopper types them again.
  await fillCard(page, '4242 4242 4242 4242')
  await page.getByRole('button', { name: 'Place order' }).click()
  await page.getByText('Thank you! Your order is placed.').first().waitFor()
  // With JavaScript the new page's text is not announced by itself: the page's live region says it.
  if (js) await expect.poll(() => page.locator('#announcer').textContent()).toBe('Thank you! Your order is placed.')
  const orderId = /\/orders\/(\d+)/.exec(page.url())![1]
  expect(await page.getByRole('heading', { name: `Order #${orderId}` }).count()).toBe(1)
  expect(await page.getByText(`3 × ${product.name}`).count()).toBe(1)

  await page.getByRole('link', { name: 'Dashboard' }).click()
  await page
    .getByTestId('orders-panel')
    .getByRole('link', { name: `#${orderId}` })
    .waitFor()

  // Signed out meanwhile (another tab, an expired session): a form sends the shopper to log in, and back.
  await page.goto(`${env.url}/orders/${orderId}`)
  if (js) await hydrated(page)
  await page.context().clearCookies({ name: '__Host-tessera_session' })
  await page.getByLabel(/Yes, cancel it/).check()
  await page.getByRole('button', { name: 'Cancel this order' }).click()
  await page.getByRole('heading', { name: 'Log in' }).waitFor()
  expect(new URL(page.url()).search).toBe(`?next=${encodeURIComponent(`/orders/${orderId}`)}`)
}

describe('buying, in Chromium', () => {
  it('with JavaScript', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await purchase(page, { js: true })
    // The declined card's answer (422 with the message on the field) and the changed cart's (409) are expected; nothing else.
    expect(problems.filter((problem) => !/\b(422|409)\b/.test(problem))).toEqual([])
    await close()
  })

  it('with JavaScript disabled', async () => {
    const { page, problems, close } = await openPage(env.browser, { javaScriptEnabled: false })
    await purchase(page, { js: false })
    expect(problems.filter((problem) => !/\b(422|409)\b/.test(problem))).toEqual([])
    await close()
  })

  it("keeps a new visitor's two adds made at once in one cart (the second waits for the first's cart cookie)", async () => {
    const { page, problems, close } = await openPage(env.browser)
    const { items } = await (await fetch(`${env.url}/api/products?category=kitchen&limit=10`)).json()
    const [first, second] = items.filter((product: { stock: number }) => product.stock > 0) as { slug: string; name: string }[]
    await page.goto(`${env.url}/products/${first!.slug}`)
    await hydrated(page)
    // The first add's answer (and the cart cookie it sets) comes in 3 s: the shopper moves on meanwhile.
    let posts = 0
    await page.route('**/cart', async (route) => {
      if (route.request().method() === 'POST' && ++posts === 1) await new Promise((resolve) => setTimeout(resolve, 3000))
      await route.continue()
    })
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.getByRole('link', { name: '← Kitchen' }).click()
    await page.getByRole('link', { name: second!.name }).click()
    await page.getByRole('heading', { name: second!.name }).waitFor()
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.getByText('Added to your cart.').first().waitFor()
    await page.goto(`${env.url}/cart`)
    // The old code made two carts: the browser kept one cookie, and one add was lost.
    expect([await page.getByRole('link', { name: first!.name }).count(), await page.getByRole('link', { name: second!.name }).count()]).toEqual([1, 1])
    expect(problems).toEqual([])
    await close()
  })

  it('cancels once on a double click, the button disabled while it goes', async () => {
    const { page, problems, close } = await openPage(env.browser)
    const order = await placeOrderThroughApi(page, 'twice')
    await page.goto(`${env.url}/orders/${order.id}`)
    await hydrated(page)
    const posts: string[] = []
    page.on('request', (request) => void (request.method() === 'POST' && posts.push(request.url())))
    await page.getByLabel(/Yes, cancel it/).check()
    await page.getByRole('button', { name: 'Cancel this order' }).dblclick()
    await page.getByText('Cancelled').first().waitFor()
    expect(posts).toEqual([`${env.url}/orders/${order.id}`])
    expect(await page.getByRole('alert').textContent()).toBe('')
    expect(problems).toEqual([])
    await close()
  })

  for (const js of [true, false]) {
    it(`says why a cancel was refused when the order changed since the page showed it, ${js ? 'with' : 'without'} JavaScript`, async () => {
      const { page, problems, close } = await openPage(env.browser, { javaScriptEnabled: js })
      const order = await placeOrderThroughApi(page, `refused-${js}`)
      await page.goto(`${env.url}/orders/${order.id}`)
      if (js) await hydrated(page)
      // Cancelled meanwhile in another tab: this page still offers to cancel it.
      expect((await page.context().request.post(`${env.url}/api/orders/${order.id}/cancel`, { headers: { Origin: env.url } })).status()).toBe(200)
      await page.getByLabel(/Yes, cancel it/).check()
      await page.getByRole('button', { name: 'Cancel this order' }).click()
      const refusal = page.getByRole('alert').filter({ hasText: 'Not cancelled' })
      await refusal.waitFor()
      expect(await refusal.textContent()).toBe('Not cancelled: Only a paid order that has not shipped can be cancelled; this one is cancelled.')
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(await refusal.textContent())
      expect(await page.getByRole('button', { name: 'Cancel this order' }).count()).toBe(0) // the page shows the order as it is
      expect(problems.filter((problem) => !/\b409\b/.test(problem))).toEqual([])
      await close()
    })
  }

  it('shows no lines once a checkout is refused because another tab placed the cart, with JavaScript', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await signUpWithCart(page, 'tabs')
    await page.goto(`${env.url}/checkout`)
    await hydrated(page)
    expect(await page.getByText(/^1 × /).count()).toBe(1)
    const shipping = { name: 'Tabs', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'US' }
    const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' }
    const otherTab = await page.context().request.post(`${env.url}/api/orders`, { data: { shipping, card }, headers: { Origin: env.url } })
    expect(otherTab.status()).toBe(201)
    await fillAddress(page, shipping)
    await fillCard(page, '4242 4242 4242 4242')
    await page.getByRole('button', { name: 'Place order' }).click()
    await page.getByText('Your cart is empty now, so nothing was ordered.', { exact: false }).first().waitFor()
    expect(await page.getByText(/^1 × /).count()).toBe(0)
    expect(await page.getByText('Total:').count()).toBe(0)
    expect(problems.filter((problem) => !/\b400\b/.test(problem))).toEqual([]) // the refusal's own 400
    await close()
  })

  it("puts the focus on the heading when a form's success took its own button away (a line removed by keyboard), and says what was done", async () => {
    const { page, problems, close } = await openPage(env.browser)
    const api = page.context().request
    const { items } = await (await fetch(`${env.url}/api/products?limit=10&sort=price-desc`)).json()
    const [first, second] = items.filter((product: { stock: number }) => product.stock > 5)
    for (const product of [first, second])
      expect((await api.post(`${env.url}/api/cart/items`, { data: { productId: product.id, quantity: 1 }, headers: { Origin: env.url } })).status()).toBe(201)
    await page.goto(`${env.url}/cart`)
    await hydrated(page)
    await page.getByRole('button', { name: `Remove ${first.name}` }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByRole('button', { name: `Remove ${first.name}` }).count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Your cart')
    // Said too, by the page's live region (there since the page loaded), as the quantity change is.
    const announced = () => page.locator('#announcer').textContent()
    await expect.poll(announced).toBe(`${first.name} removed from your cart.`)
    expect(await page.locator('#announcer').getAttribute('role')).toBe('status')
    await page.getByLabel(`Quantity of ${second.name}`).fill('2')
    await page.getByLabel(`Quantity of ${second.name}`).press('Enter')
    await expect.poll(announced).toBe(`Quantity of ${second.name} updated.`)
    // Gone when another page shows: it was about this one.
    await page.getByRole('link', { name: second.name }).click()
    await page.waitForURL(`${env.url}/products/${second.slug}`)
    expect(await announced()).toBe('')
    expect(problems).toEqual([])
    await close()
  })

  it('updates a cart line removed in another tab: the line goes, and the page says why', async () => {
    const { page, problems, close } = await openPage(env.browser)
    const api = page.context().request
    const json = { Origin: env.url }
    const { items } = await (await fetch(`${env.url}/api/products?limit=10&sort=price-desc`)).json()
    const [kept, removed] = items.filter((product: { stock: number }) => product.stock > 5)
    for (const product of [kept, removed]) {
      expect((await api.post(`${env.url}/api/cart/items`, { data: { productId: product.id, quantity: 1 }, headers: json })).status()).toBe(201)
    }
    await page.goto(`${env.url}/cart`)
    await hydrated(page)
    expect((await api.delete(`${env.url}/api/cart/items/${removed.id}`, { headers: json })).status()).toBe(200) // the other tab
    await page.getByLabel(`Quantity of ${removed.name}`).fill('2')
    await page.getByLabel(`Quantity of ${removed.name}`).press('Enter')
    await page.getByRole('alert').filter({ hasText: 'Not changed: That product is not in your cart.' }).waitFor()
    // Its field gone, the focus is on what the page says, not lost to the page's body.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Not changed: That product is not in your cart.')
    expect(await page.getByLabel(`Quantity of ${removed.name}`).count()).toBe(0)
    expect(await page.getByLabel(`Quantity of ${kept.name}`).inputValue()).toBe('1')
    expect(problems.filter((problem) => !/\b404\b/.test(problem))).toEqual([]) // the refusal's own 404
    await close()
  })
})

let addresses = 0

/** A new shopper signed up in this page's browser context, one of product 2 in their cart. */
async function signUpWithCart(page: Page, who: string): Promise<void> {
  const api = page.context().request
  const json = { Origin: env.url }
  const register = await api.post(`${env.url}/api/auth/register`, {
    data: { email: `${who}-${Date.now()}@example.com`, name: who, password: 'a long password' },
    headers: { ...json, 'X-Forwarded-For': `10.2.0.${++addresses}` },
  })
  expect(register.status()).toBe(201)
  expect((await api.post(`${env.url}/api/cart/items`, { data: { productId: 2, quantity: 1 }, headers: json })).status()).toBe(201)
}

/** A new shopper signed up in this page's browser context, and a paid order of one product. */
async function placeOrderThroughApi(page: Page, who: string): Promise<{ id: number }> {
  await signUpWithCart(page, who)
  const api = page.context().request
  const json = { Origin: env.url }
  const placed = await api.post(`${env.url}/api/orders`, {
    headers: json,
    data: {
      shipping: { name: who, line1: '1 Road', city: 'Town', postalCode: '12345', country: 'US' },
      card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' },
    },
  })
  expect(placed.status()).toBe(201)
  return (await placed.json()).order
}
