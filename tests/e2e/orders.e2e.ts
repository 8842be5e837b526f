import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hydrated, openPage, withServerAndBrowser } from './browser.ts'

const env = withServerAndBrowser()

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
  await page.getByLabel('Full name').fill('Barbara Liskov')
  await page.getByLabel('Address', { exact: true }).fill('545 Technology Square')
  await page.getByLabel('City').fill('Cambridge')
  await page.getByLabel('Postal code').fill('02139')
  await page.getByLabel('Country code').fill('US')
  await page.getByLabel('Card number').fill('4000 0000 0000 0002')
  await page.getByLabel('Expiry month').fill('12')
  await page.getByLabel('Expiry year').fill('2099')
  await page.getByLabel('CVC').fill('123')
  await page.getByRole('button', { name: 'Place order' }).click()
  await page.getByText('Your card was declined.').waitFor()
  expect(await page.getByLabel('City').inputValue()).toBe('Cambridge') // the address is kept…
  if (!js) expect(await page.getByLabel('Card number').inputValue()).toBe('') // …the card number is never echoed back

  // Card fields are never sent back to the page: the shopper types them again.
  await page.getByLabel('Card number').fill('4242 4242 4242 4242')
  await page.getByLabel('Expiry month').fill('12')
  await page.getByLabel('Expiry year').fill('2099')
  await page.getByLabel('CVC').fill('123')
  await page.getByRole('button', { name: 'Place order' }).click()
  await page.getByText('Thank you! Your order is placed.').waitFor()
  const orderId = /\/orders\/(\d+)/.exec(page.url())![1]
  expect(await page.getByRole('heading', { name: `Order #${orderId}` }).count()).toBe(1)

  await page.getByRole('link', { name: 'Dashboard' }).click()
  await page
    .getByTestId('orders-panel')
    .getByRole('link', { name: `#${orderId}` })
    .waitFor()
}

describe('buying, in Chromium', () => {
  it('with JavaScript', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await purchase(page, { js: true })
    // The declined card's answer (422 with the message on the field) is expected; nothing else.
    expect(problems.filter((problem) => !problem.includes('422'))).toEqual([])
    await close()
  })

  it('with JavaScript disabled', async () => {
    const { page, problems, close } = await openPage(env.browser, { javaScriptEnabled: false })
    await purchase(page, { js: false })
    expect(problems.filter((problem) => !problem.includes('422'))).toEqual([])
    await close()
  })
})
