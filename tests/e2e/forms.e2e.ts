import { describe, expect, it } from 'vitest'
import { hydrated, markWindow, openPage, withServerAndBrowser, windowMarker } from './browser.ts'

const env = withServerAndBrowser()

const notes = (page: import('playwright-core').Page) => page.getByTestId('notes').locator('li').allTextContents()

describe('a form with JavaScript', () => {
  it('submits by fetch: pending state, then the list refreshed in place and the field cleared', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo/notes`)
    await hydrated(page)
    await markWindow(page)
    await page.getByLabel('Note').fill('slow note from JS')
    await page.getByRole('button', { name: 'Add note' }).click()
    await page.getByRole('button', { name: 'Saving…' }).waitFor()
    await expect.poll(() => notes(page)).toContain('slow note from JS')
    expect(await page.getByLabel('Note').inputValue()).toBe('')
    await expect.poll(() => page.title()).toMatch(/^[1-9]\d* notes$/)
    expect(await windowMarker(page)).toBe(42)
    expect(problems).toEqual([])
    await close()
  })

  it('shows field errors without a reload and keeps the input', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo/notes`)
    await hydrated(page)
    await markWindow(page)
    await page.getByLabel('Note').fill('taken')
    await page.getByRole('button', { name: 'Add note' }).click()
    await page.getByText('That note exists already').first().waitFor()
    expect(await page.getByLabel('Note').inputValue()).toBe('taken')
    expect(await windowMarker(page)).toBe(42)
    // The 422 of the action is expected; anything else is not.
    expect(problems.filter((problem) => !problem.includes('422'))).toEqual([])
    await close()
  })
})

describe('a slow form and a navigation meanwhile', () => {
  it('stays where the shopper went (Back, or a link) when the answer comes, not on the form’s page under that address', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo`)
    await hydrated(page)
    await page.getByRole('link', { name: 'Notes' }).first().click()
    await page.getByRole('heading', { name: 'Notes' }).waitFor()
    // The form's answer comes in 0.8 s, the page Back goes to in 1.5 s.
    await page.route('**/*', async (route) => {
      const request = route.request()
      if (request.method() === 'POST') await new Promise((resolve) => setTimeout(resolve, 800))
      else if (request.headers()['x-tessera-data'] === '1') await new Promise((resolve) => setTimeout(resolve, 1500))
      await route.continue()
    })
    await page.getByLabel('Note').fill('sent, then Back')
    await page.getByRole('button', { name: 'Add note' }).click()
    await page.waitForTimeout(200)
    await page.evaluate(() => history.back())
    await page.waitForTimeout(3500) // both have come (the old code then refreshed the notes, shown under /demo)
    expect(new URL(page.url()).pathname).toBe('/demo')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Hello world')
    expect(problems).toEqual([])
    await close()
  })
})

describe('two forms sent one after the other', () => {
  it('shows what both did: the first one’s refresh does not stop the second’s', async () => {
    const { page, problems, close } = await openPage(env.browser)
    const { items } = await (await fetch(`${env.url}/api/products?limit=10`)).json()
    const [first, second] = items.filter((product: { stock: number }) => product.stock > 0) as { id: number; name: string }[]
    for (const product of [first!, second!]) {
      expect((await page.request.post(`${env.url}/api/cart/items`, { data: { productId: product.id, quantity: 1 } })).status()).toBe(201)
    }
    await page.goto(`${env.url}/cart`)
    await hydrated(page)
    // Both sent before either answer: the first comes in 0.3 s (its refresh follows), the second in 1.5 s.
    let posts = 0
    await page.route('**/cart', async (route) => {
      if (route.request().method() === 'POST') await new Promise((resolve) => setTimeout(resolve, ++posts === 1 ? 300 : 1500))
      await route.continue()
    })
    await page.getByRole('button', { name: `Remove ${first!.name}` }).click()
    await page.getByRole('button', { name: `Remove ${second!.name}` }).click()
    await page.waitForTimeout(2500)
    expect(await page.getByRole('button', { name: /^Remove / }).count()).toBe(0) // the old code kept showing the second line
    expect(problems).toEqual([])
    await close()
  })
})

describe('the same form with JavaScript disabled', () => {
  it('posts, redirects back (post/redirect/get) and shows the new note', async () => {
    const { page, problems, close } = await openPage(env.browser, { javaScriptEnabled: false })
    await page.goto(`${env.url}/demo/notes`)
    await page.getByLabel('Note').fill('note without JS')
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add note' }).click(),
    ])
    expect(response.status()).toBe(303)
    await page.waitForLoadState('load')
    expect(new URL(page.url()).pathname).toBe('/demo/notes')
    expect(await notes(page)).toContain('note without JS')
    expect(problems).toEqual([])
    await close()
  })

  it('shows the page again with the error and the input kept', async () => {
    const { page, close } = await openPage(env.browser, { javaScriptEnabled: false })
    await page.goto(`${env.url}/demo/notes`)
    await page.getByLabel('Note').fill('taken')
    await page.getByRole('button', { name: 'Add note' }).click()
    await page.getByText('That note exists already').first().waitFor()
    expect(await page.getByLabel('Note').inputValue()).toBe('taken')
    await close()
  })
})
