import { describe, expect, it } from 'vitest'
import { hydrated, markWindow, openPage, withServerAndBrowser, windowMarker } from './browser.ts'

const env = withServerAndBrowser({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' })

describe('the store in Chromium', () => {
  it('search as you type, open a product, see it', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/products`)
    await hydrated(page)
    await markWindow(page)
    await page.getByRole('searchbox').pressSequentially('skill', { delay: 30 })
    await page.waitForURL(/\/products\?q=skill$/)
    await page.getByRole('heading', { name: 'Results for “skill”' }).waitFor()
    const first = page.locator('.product-card h3').first()
    const name = await first.textContent()
    expect(name).toMatch(/Skillet/)
    await first.click()
    await page.getByRole('heading', { level: 1, name: name! }).waitFor()
    expect(await page.getByTestId('price').textContent()).toMatch(/^\$\d+\.\d\d$/)
    expect(await windowMarker(page)).toBe(42) // all of it without a page load
    expect(problems).toEqual([])
    await close()
  })

  it('keeps the search box focused, with all that was typed, while results follow each pause', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/products`)
    await hydrated(page)
    const box = page.getByRole('searchbox')
    await box.click()
    // Each pause outlasts the box's wait (250 ms): a navigation between keystrokes.
    for (const letter of 'skil') {
      await page.keyboard.type(letter)
      await page.waitForURL(new RegExp(`q=${'skil'.slice(0, 'skil'.indexOf(letter) + 1)}$`))
      await page.waitForTimeout(150)
    }
    expect(await box.inputValue()).toBe('skil')
    expect(await box.evaluate((input) => input === document.activeElement)).toBe(true)
    await page.getByRole('heading', { name: 'Results for “skil”' }).waitFor()
    expect(problems).toEqual([])
    await close()
  })

  it('keeps the search box in step with the address when the shopper goes back', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/products?q=skillet`)
    await hydrated(page)
    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Kitchen' }).click()
    await page.waitForURL(/category=kitchen/)
    const box = page.getByRole('searchbox')
    await box.fill('mug')
    await page.waitForURL(/q=mug/)
    await page.goBack()
    await page.getByRole('heading', { name: 'Results for “skillet”' }).waitFor()
    await expect.poll(() => box.inputValue()).toBe('skillet')
    expect(problems).toEqual([])
    await close()
  })

  it('follows a link clicked while a typed search waits for its pause: the click wins', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/products?q=bow`)
    await hydrated(page)
    // The network slow, as on a phone: the cart's data still on its way when the search's pause ends.
    await page.route('**/*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300))
      await route.continue()
    })
    await page.getByRole('searchbox').press('End')
    await page.keyboard.type('l')
    await page.getByRole('link', { name: 'Cart' }).click()
    await page.getByRole('heading', { level: 1, name: /cart/i }).waitFor({ timeout: 5000 })
    await page.waitForTimeout(1200) // past the pause and a slow search
    expect(new URL(page.url()).pathname).toBe('/cart')
    expect(problems).toEqual([])
    await close()
  })

  it('keeps what was typed into the search box before the page hydrated (a slow phone), and searches it', async () => {
    const { page, problems, close } = await openPage(env.browser)
    // The page's script comes 2 s late: the shopper types, and moves on to the sort, meanwhile.
    await page.route('**/assets/entry-client-*.js', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2000))
      await route.continue()
    })
    await page.goto(`${env.url}/products`)
    await page.getByRole('searchbox').fill('skillet')
    await page.getByRole('searchbox').press('Tab')
    await hydrated(page)
    await page.waitForTimeout(300)
    expect(await page.getByRole('searchbox').inputValue()).toBe('skillet')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('heading', { name: 'Results for “skillet”' }).waitFor()
    expect(problems).toEqual([])
    await close()
  })

  it('adds no second history entry when Enter sends the search already run as it was typed', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/products?category=kitchen`)
    await hydrated(page)
    await page.getByRole('searchbox').pressSequentially('skillet')
    await page.waitForURL((url) => url.searchParams.get('q') === 'skillet')
    await page.getByRole('heading', { name: 'Results for “skillet” in Kitchen' }).waitFor()
    const entries = await page.evaluate(() => history.length)
    await page.getByRole('searchbox').press('Enter')
    await page.waitForTimeout(500)
    expect(await page.evaluate(() => history.length)).toBe(entries)
    expect(await page.getByRole('searchbox').evaluate((box) => box === document.activeElement)).toBe(true) // still typing there
    await page.goBack()
    await page.waitForURL((url) => url.search === '?category=kitchen')
    expect(problems).toEqual([])
    await close()
  })

  it('keeps the entry typing began on when the answers come slower than the keys (Back returns to it)', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/products?category=kitchen`)
    await hydrated(page)
    // Every page's data arrives 600 ms late: each key's search overtakes the one before it.
    await page.route('**/*', async (route) => {
      if (route.request().headers()['x-tessera-data'] === '1') await new Promise((resolve) => setTimeout(resolve, 600))
      await route.continue()
    })
    const entries = await page.evaluate(() => history.length)
    for (const key of ['m', 'u', 'g']) {
      await page.getByRole('searchbox').press(key)
      await page.waitForTimeout(400)
    }
    await page.waitForURL((url) => url.searchParams.get('q') === 'mug')
    await page.getByRole('heading', { name: 'Results for “mug” in Kitchen' }).waitFor()
    expect(await page.evaluate(() => history.length)).toBe(entries + 1) // one entry for the search as typed
    await page.goBack()
    await page.waitForURL((url) => url.search === '?category=kitchen')
    expect(problems).toEqual([])
    await close()
  })

  it('searches without JavaScript from the form, its sort left as it is', async () => {
    const { page, problems, close } = await openPage(env.browser, { javaScriptEnabled: false })
    await page.goto(`${env.url}/products?category=kitchen`)
    expect(await page.getByRole('searchbox').getAttribute('maxlength')).toBe('100') // the server's limit: never a 400 page for typing
    await page.getByRole('searchbox').fill('skillet')
    await page.getByRole('searchbox').press('Enter')
    await page.waitForURL((url) => url.search === '?q=skillet&category=kitchen&sort=') // the blank sort sent as it is
    await page.getByRole('heading', { name: 'Results for “skillet” in Kitchen' }).waitFor()
    expect(await page.locator('.product-card h3').first().textContent()).toMatch(/Skillet/)
    expect(problems).toEqual([])
    await close()
  })

  it('an admin edits a price and the public page shows it at once', async () => {
    const shopper = await openPage(env.browser)
    const product = await (await fetch(`${env.url}/api/products/3`)).json()
    const publicPage = `${env.url}/products/${product.slug}`
    await shopper.page.goto(publicPage)
    await shopper.page.goto(publicPage) // now from the page cache
    expect(await shopper.page.getByTestId('price').textContent()).toBe(product.price)

    const admin = await openPage(env.browser)
    await admin.page.goto(`${env.url}/login?next=${encodeURIComponent(`/admin/products/${product.id}`)}`)
    await hydrated(admin.page)
    await admin.page.getByLabel('Email').fill('admin@example.com')
    await admin.page.getByLabel('Password').fill('admin password')
    await admin.page.getByRole('button', { name: 'Log in' }).click()
    await admin.page.getByRole('heading', { name: `Edit ${product.name}` }).waitFor()
    await admin.page.getByLabel('Price (USD)').fill('123.45')
    const [saved] = await Promise.all([
      admin.page.waitForResponse((res) => res.request().method() === 'POST'),
      admin.page.getByRole('button', { name: 'Save changes' }).click(),
    ])
    expect(saved.status()).toBe(200)
    // Said to everyone: on the page, and through the live region (a page's own text is not read).
    await admin.page.getByRole('status').filter({ hasText: 'Changes saved.' }).first().waitFor()
    await expect.poll(() => admin.page.locator('#announcer').textContent()).toBe('Changes saved.')

    await shopper.page.goto(publicPage)
    expect(await shopper.page.getByTestId('price').textContent()).toBe('$123.45')
    expect(shopper.problems).toEqual([])
    await Promise.all([shopper.close(), admin.close()])
  })

  it("drops a form's result when the page moves to another query (another page of the list)", async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/login?next=${encodeURIComponent('/admin/products')}`)
    await hydrated(page)
    await page.getByLabel('Email').fill('admin@example.com')
    await page.getByLabel('Password').fill('admin password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('heading', { name: 'Products' }).waitFor()
    await page.getByLabel('Name').fill('Refused product')
    await page.getByLabel('Price (USD)').fill('twelve')
    await page.getByRole('button', { name: 'Create product' }).click() // not an amount: refused
    const refusal = page.locator('.field-error, .form-error:not(:empty)')
    await refusal.first().waitFor()
    await page.getByRole('link', { name: 'Next →' }).click()
    await page.waitForURL(/\/admin\/products\?after=/)
    await expect.poll(() => refusal.count()).toBe(0)
    // Nor does going back bring it back: it belonged to that moment, as after a page load.
    await page.goBack()
    await page.waitForURL(/\/admin\/products$/)
    await page.getByRole('heading', { name: 'Products' }).waitFor()
    expect(await refusal.count()).toBe(0)
    // The refusal's 422 is expected; nothing else may go wrong.
    expect(problems.filter((problem) => !problem.includes('422'))).toEqual([])
    await close()
  })
})
