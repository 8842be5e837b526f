import type { BrowserContext, Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { hydrated, openPage, withServerAndBrowser, type OpenedPage } from './browser.ts'

const admin = { email: 'admin@example.com', password: 'admin password' }
// TRUST_PROXY: each test comes from an address of its own, clear of the per-address login limits.
const env = withServerAndBrowser({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, TRUST_PROXY: 'true' })

type Cookies = Awaited<ReturnType<BrowserContext['cookies']>>
type Product = { id: number; name: string; stock: number }
let shopper: Cookies = []
let lowStock: Product
let addresses = 0

beforeAll(async () => {
  // A shopper whose cart holds two products, the second with 3 left.
  const { items } = (await (await fetch(`${env.url}/api/products?limit=100`)).json()) as { items: Product[] }
  const [plenty, low] = items.filter((p) => p.stock > 10) as [Product, Product]
  const signedInAdmin = await openPage(env.browser)
  expect((await signedInAdmin.page.request.post(`${env.url}/api/auth/login`, { data: admin })).status()).toBe(200)
  expect((await signedInAdmin.page.request.patch(`${env.url}/api/products/${low.id}`, { data: { stock: 3 } })).status()).toBe(200)
  await signedInAdmin.close()
  lowStock = { ...low, stock: 3 }

  const { page, close } = await openPage(env.browser)
  const account = { name: 'Ada', email: `form-errors-${Date.now()}@example.com`, password: 'a long password' }
  expect((await page.request.post(`${env.url}/api/auth/register`, { data: account })).status()).toBe(201)
  for (const product of [plenty, low])
    expect((await page.request.post(`${env.url}/api/cart/items`, { data: { productId: product.id, quantity: 1 } })).status()).toBe(201)
  shopper = await page.context().cookies()
  await close()
})

async function open(path: string, { js, cookies = [] }: { js: boolean; cookies?: Cookies }): Promise<OpenedPage> {
  const opened = await openPage(env.browser, { javaScriptEnabled: js })
  await opened.page.context().addCookies(cookies)
  await opened.page.setExtraHTTPHeaders({ 'X-Forwarded-For': `10.1.0.${++addresses}` })
  await opened.page.goto(`${env.url}${path}`)
  if (js) await hydrated(opened.page)
  return opened
}

/** The focused element as assistive technology meets it: its name, state and description. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement!
    const ids = (element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    return {
      name: element.getAttribute('name'),
      role: element.getAttribute('role'),
      invalid: element.getAttribute('aria-invalid'),
      describedBy: ids.map((id) => document.getElementById(id)?.textContent ?? `(no element #${id})`).join(' | '),
      text: element.textContent,
    }
  })
}

/** A field's error state, read from its attributes: what aria-describedby names, by id. */
function fieldState(field: Locator) {
  return field.evaluate((element) => ({
    invalid: element.getAttribute('aria-invalid'),
    describedBy: (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? `(no element #${id})`)
      .join(' | '),
  }))
}

/** Whether an element is a live region: an explicit aria-live, or a role that implies one. */
function isLiveRegion(element: Locator): Promise<boolean> {
  return element.evaluate(
    (el) => ['polite', 'assertive'].includes(el.getAttribute('aria-live') ?? '') || ['alert', 'status', 'log'].includes(el.getAttribute('role') ?? ''),
  )
}

/** Marks the form's live region before submitting: with JavaScript it must be the same element after. */
async function markLiveRegion(form: Locator, js: boolean): Promise<void> {
  if (js) await form.getByRole('alert').evaluate((el) => el.setAttribute('data-was-there', ''), undefined, { timeout: 2000 })
}

const both = [
  ['with JavaScript', true],
  ['with JavaScript disabled', false],
] as const

describe.each(both)('a refused form, %s', (_mode, js) => {
  it('fields refused: the focus on the first on screen, invalid and described by its message', async () => {
    const { page, close } = await open('/register', { js })
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Create account' }) })
    await markLiveRegion(form, js)
    // The schema checks email before name; the screen shows name first: the focus goes there.
    await page.getByLabel('Name').fill('   ')
    await page.getByLabel('Email').fill('a@b')
    await page.getByLabel('Password').fill('a long password')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('Enter a valid email address').first().waitFor()

    await expect.poll(() => focused(page)).toEqual({ name: 'name', role: null, invalid: 'true', describedBy: 'Enter your name', text: '' })
    expect(await fieldState(page.getByLabel('Email'))).toEqual({ invalid: 'true', describedBy: 'Enter a valid email address' })
    expect(await fieldState(page.getByLabel('Password'))).toEqual({ invalid: null, describedBy: '' })
    const alert = form.getByRole('alert')
    expect(await isLiveRegion(alert)).toBe(true)
    expect(await alert.textContent()).toBe('') // no error about the form as a whole
    if (js) expect(await alert.getAttribute('data-was-there')).toBe('')
    await close()
  })

  it("the form's own error: announced by a live region that was there before, and focused", async () => {
    const { page, close } = await open('/login', { js })
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Log in' }) })
    await markLiveRegion(form, js)
    await page.getByLabel('Email').fill('nobody@example.com')
    await page.getByLabel('Password').fill('a wrong password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByText('Wrong email or password.').first().waitFor()

    const alert = form.getByRole('alert')
    expect(await alert.textContent()).toBe('Wrong email or password.')
    expect(await isLiveRegion(alert)).toBe(true)
    if (js) expect(await alert.getAttribute('data-was-there')).toBe('') // not added with its message
    await expect.poll(() => focused(page)).toMatchObject({ role: 'alert', text: 'Wrong email or password.' })
    await close()
  })

  it('one of several forms on a page: only it shows the error and takes the focus', async () => {
    const { page, close } = await open('/cart', { js, cookies: shopper })
    const quantity = page.getByLabel(`Quantity of ${lowStock.name}`)
    await quantity.fill('5')
    await page.getByRole('row', { name: lowStock.name }).getByRole('button', { name: 'Update' }).click()
    await page.locator('.field-error').first().waitFor()

    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1)
    expect(await fieldState(quantity)).toEqual({ invalid: 'true', describedBy: expect.stringMatching(/3/) })
    await expect.poll(() => focused(page)).toMatchObject({ name: 'quantity', invalid: 'true' })
    expect(await quantity.evaluate((el) => el === document.activeElement)).toBe(true)
    // Every id once: two forms' messages never share one.
    const ids = await page.locator('[id]').evaluateAll((elements) => elements.map((el) => el.id))
    expect(ids.length).toBe(new Set(ids).size)
    await close()
  })
})
