import type { Page, Request } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hydrated, markWindow, openPage, withServerAndBrowser, windowMarker } from './browser.ts'

const env = withServerAndBrowser()

const isDataRequest = (request: Request) => request.headers()['x-tessera-data'] === '1'

/** Opens the demo's long page, hydrated, and scrolls to its bottom link; the position reached. */
async function scrollDownTheLongPage(page: Page): Promise<number> {
  await page.setViewportSize({ width: 800, height: 400 })
  await page.goto(`${env.url}/demo/long`)
  await hydrated(page)
  await page.locator('#bottom-link').scrollIntoViewIfNeeded()
  const scrolled = await page.evaluate(() => scrollY)
  expect(scrolled).toBeGreaterThan(1000)
  return scrolled
}

describe('client-side navigation in Chromium', () => {
  it('follows a link without a reload, updates the title, and keeps back/forward working', async () => {
    const { page, problems, close } = await openPage(env.browser)
    const documents: string[] = []
    page.on('request', (request) => request.resourceType() === 'document' && documents.push(request.url()))
    await page.goto(`${env.url}/demo`)
    await hydrated(page)
    await markWindow(page)

    await page.getByRole('link', { name: 'Notes' }).click()
    await page.getByRole('heading', { name: 'Notes' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/demo/notes')
    // The new page's heading has the focus (read out; the keyboard continues from it), as after a page load.
    expect(await page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.textContent])).toEqual(['H1', 'Notes'])
    await expect.poll(() => page.title()).toMatch(/^\d+ notes$/)
    expect(await windowMarker(page)).toBe(42)

    await page.goBack()
    await page.getByRole('heading', { name: 'Hello world' }).waitFor()
    expect(await page.title()).toBe('Hello world')
    await page.goForward()
    await page.getByRole('heading', { name: 'Notes' }).waitFor()
    expect(await windowMarker(page)).toBe(42)
    expect(documents).toHaveLength(1) // only the first page load fetched a document
    expect(problems).toEqual([])
    await close()
  })

  it('prefetches on hover, so the click needs no further request', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo`)
    await hydrated(page)
    const dataRequests: string[] = []
    page.on('request', (request) => isDataRequest(request) && dataRequests.push(new URL(request.url()).pathname))
    await page.getByRole('link', { name: 'A long page' }).hover()
    await expect.poll(() => dataRequests).toEqual(['/demo/long'])
    await page.getByRole('link', { name: 'A long page' }).click()
    await page.getByRole('heading', { name: 'A long page' }).waitFor()
    expect(dataRequests).toEqual(['/demo/long'])
    expect(problems).toEqual([])
    await close()
  })

  it("asks again for a shopper's own page prefetched a while ago: another tab may have changed it", async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/products`)
    await hydrated(page)
    await page.getByRole('link', { name: 'Cart' }).hover() // prefetched: the cart is empty
    await page.waitForTimeout(200)
    // Another tab (the same cookies) adds a product.
    const added = await page.context().request.post(`${env.url}/api/cart/items`, { data: { productId: 1, quantity: 1 } })
    expect(added.status()).toBe(201)
    await page.waitForTimeout(3_500)
    await page.getByRole('link', { name: 'Cart' }).click()
    await page.getByRole('heading', { name: 'Your cart' }).waitFor()
    expect(await page.getByRole('button', { name: /Remove/ }).count()).toBe(1)
    expect(problems).toEqual([])
    await close()
  })

  it('prefetches a viewport link when it scrolls into view', async () => {
    const { page, close } = await openPage(env.browser)
    await page.setViewportSize({ width: 800, height: 400 })
    await page.goto(`${env.url}/demo/long`)
    await hydrated(page)
    const dataRequests: string[] = []
    page.on('request', (request) => isDataRequest(request) && dataRequests.push(new URL(request.url()).pathname))
    await page.waitForTimeout(200)
    expect(dataRequests).toEqual([]) // below the fold: not yet
    await page.evaluate(() => document.getElementById('bottom-link')!.scrollIntoView())
    await expect.poll(() => dataRequests).toEqual(['/demo/notes'])
    await close()
  })

  it('restores the scroll position on back, and starts new pages at the top', async () => {
    const { page, close } = await openPage(env.browser)
    const scrolled = await scrollDownTheLongPage(page)
    await page.locator('#bottom-link').click()
    await page.getByRole('heading', { name: 'Notes' }).waitFor()
    expect(await page.evaluate(() => scrollY)).toBe(0)
    await page.goBack()
    await page.getByRole('heading', { name: 'A long page' }).waitFor()
    await expect.poll(() => page.evaluate(() => scrollY)).toBe(scrolled)
    await close()
  })

  it('keeps each page’s own position over two quick Backs on a slow network', async () => {
    const { page, close } = await openPage(env.browser)
    await page.setViewportSize({ width: 1000, height: 400 })
    // Page data slow to come: the second Back leaves while the first's page has not arrived.
    await page.route('**/*', async (route) => {
      if (isDataRequest(route.request())) await new Promise((resolve) => setTimeout(resolve, 600))
      await route.continue()
    })
    const scrollPageTo = async (y: number) => {
      await page.evaluate((to) => window.scrollTo(0, to), y)
      return page.evaluate(() => scrollY)
    }
    await page.goto(`${env.url}/products`)
    await hydrated(page)
    await scrollPageTo(1000)
    await page.locator('main a', { hasText: 'Next' }).first().click()
    await page.waitForURL(/after=/)
    await page.getByRole('heading', { level: 1 }).waitFor()
    await expect.poll(() => page.evaluate(() => scrollY)).toBe(0)
    const secondPage = await scrollPageTo(2000)
    // Clicked where it is (a pointer click would scroll it into view first, moving the page).
    await page.evaluate(() => document.querySelectorAll<HTMLAnchorElement>('main .product-grid a')[30]!.click())
    await page.waitForURL(/\/products\/[^?]+$/)
    await expect.poll(() => page.evaluate(() => scrollY)).toBe(0)
    await scrollPageTo(150)
    await page.evaluate(() => {
      history.back()
      setTimeout(() => history.back(), 50)
    })
    await page.waitForURL(`${env.url}/products`)
    await page.waitForTimeout(1500)
    await page.goForward()
    await page.waitForURL(/after=/)
    await expect.poll(() => page.evaluate(() => scrollY), { timeout: 3000 }).toBe(secondPage)
    await close()
  })

  it('marks the page as loading while a slow navigation is under way, and only then', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo`)
    await hydrated(page)
    const navigating = () => page.evaluate(() => document.documentElement.hasAttribute('data-navigating'))
    await page.route('**/*', async (route) => {
      if (isDataRequest(route.request())) await new Promise((resolve) => setTimeout(resolve, 1000))
      await route.continue()
    })
    await page.getByRole('link', { name: 'Notes' }).first().click()
    await page.waitForTimeout(500)
    expect(await navigating()).toBe(true)
    await page.getByRole('heading', { name: 'Notes' }).waitFor()
    expect(await navigating()).toBe(false)
    // A quick one shows nothing: the mark waits 200 ms.
    await page.unrouteAll()
    await page.goBack()
    await page.waitForURL(`${env.url}/demo`)
    expect(await navigating()).toBe(false)
    expect(problems).toEqual([])
    await close()
  })

  it('stays on the page on screen after Back then Forward before the other page came', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo`)
    await hydrated(page)
    await page.getByRole('link', { name: 'Notes' }).click()
    await page.getByRole('heading', { name: 'Notes' }).waitFor()
    await page.route('**/*', async (route) => {
      if (isDataRequest(route.request())) await new Promise((resolve) => setTimeout(resolve, 800))
      await route.continue()
    })
    await page.evaluate(() => {
      history.back()
      setTimeout(() => history.forward(), 100)
    })
    await page.waitForTimeout(1500) // the page Back asked for has come, and is not shown
    expect(new URL(page.url()).pathname).toBe('/demo/notes')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Notes')
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-navigating'))).toBe(false)
    expect(problems).toEqual([])
    await close()
  })

  it('keeps the scroll position over a reload', async () => {
    const { page, close } = await openPage(env.browser)
    const scrolled = await scrollDownTheLongPage(page)
    await page.reload()
    await hydrated(page)
    await expect.poll(() => page.evaluate(() => scrollY)).toBe(scrolled)
    await close()
  })

  it('streams deferred data on client navigation: fallback first, then the content', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo`)
    await hydrated(page)
    await markWindow(page)
    await page.getByRole('link', { name: 'A slow page' }).click()
    await page.getByText('Loading the slow part…').waitFor()
    await page.getByTestId('slow').waitFor()
    expect(await windowMarker(page)).toBe(42)
    expect(problems).toEqual([])
    await close()
  })

  it('shows a deferred part that failed as that part only, the rest of the page kept', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo/slow?ms=200&fail`)
    await page.getByText('This part of the page could not be shown. Reload the page to try again.').waitFor()
    await hydrated(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('A page with a slow part')
    expect(await page.getByText('Something went wrong').count()).toBe(0)
    // The page rendered again with the same data: the part stays failed, the page up.
    await page.getByRole('button', { name: /Rendered again/ }).click()
    await page.getByRole('button', { name: 'Rendered again 1 times' }).click()
    await page.getByRole('button', { name: 'Rendered again 2 times' }).waitFor()
    expect(await page.getByText('This part of the page could not be shown.', { exact: false }).count()).toBe(1)
    expect(await page.getByText('Something went wrong').count()).toBe(0)
    // React reports the error it caught; nothing else (no uncaught error, no page-wide fallback).
    expect(problems.filter((problem) => !problem.includes('This part of the page could not be loaded'))).toEqual([])
    expect(problems.filter((problem) => problem.startsWith('pageerror:'))).toEqual([])
    // A part failed before the server rendered it (here at once; under load, after a slow shell): the
    // client renders it, and React's "could not finish this boundary" (419) is no page error.
    problems.length = 0
    await page.goto(`${env.url}/demo/flaky?fail`)
    await page.getByText('This part of the page could not be shown. Reload the page to try again.').waitFor()
    await hydrated(page)
    await page.waitForTimeout(200)
    expect(problems.filter((problem) => !problem.includes('This part of the page could not be loaded'))).toEqual([])
    await close()
  })

  it('shows a part whose stream was cut (the connection lost) as failed once the document has ended, not loading for good', async () => {
    const { page, problems, close } = await openPage(env.browser)
    const url = `${env.url}/demo/slow?ms=300`
    const whole = await (await fetch(url)).text()
    const cut = whole.slice(0, whole.lastIndexOf('<script', whole.indexOf('.settle("slow"'))) // the connection lost before the part
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: cut }))
    await page.goto(url)
    await hydrated(page)
    await page.getByText('This part of the page could not be shown. Reload the page to try again.').waitFor()
    expect(await page.getByText('Loading the slow part…').count()).toBe(0)
    expect(problems.filter((problem) => !problem.includes('The connection was lost'))).toEqual([])
    await close()
  })

  it('shows a deferred part that failed without JavaScript too: its message in its place, not "Loading…" for good', async () => {
    const { page, close } = await openPage(env.browser, { javaScriptEnabled: false })
    for (const path of ['/demo/slow?ms=200&fail', '/demo/flaky?fail']) {
      await page.goto(`${env.url}${path}`)
      const failed = page.getByText('This part of the page could not be shown. Reload the page to try again.')
      expect(await failed.isVisible(), path).toBe(true)
      expect(await page.getByText('Loading the slow part…').isVisible(), path).toBe(false)
    }
    await close()
  })

  it("follows a loader's redirect on client navigation", async () => {
    const { page, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo`)
    await hydrated(page)
    await markWindow(page)
    await page.getByRole('link', { name: 'An old address' }).click()
    await page.getByRole('heading', { name: 'Hello moved' }).waitFor()
    expect(new URL(page.url()).search).toBe('?name=moved')
    expect(await windowMarker(page)).toBe(42)
    await close()
  })

  it('falls back to a normal page load when the target fails', async () => {
    const { page, close } = await openPage(env.browser)
    await page.goto(`${env.url}/demo`)
    await hydrated(page)
    await markWindow(page)
    await page.getByRole('link', { name: 'A missing page' }).click()
    await page.getByRole('heading', { name: 'Page not found' }).waitFor()
    expect(await windowMarker(page)).toBeUndefined()
    await close()
  })
})
