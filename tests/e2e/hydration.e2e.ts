import { describe, expect, it } from 'vitest'
import { hydrated, markWindow, openPage as open, withServerAndBrowser, windowMarker } from './browser.ts'

const env = withServerAndBrowser()

const openPage = (javaScriptEnabled = true) => open(env.browser, { javaScriptEnabled })

describe('in Chromium', () => {
  it('hydrates: a client component responds to a click, with no console errors', async () => {
    const { page, problems, close } = await openPage()
    await page.goto(`${env.url}/demo?name=Browser`)
    await expect.poll(() => page.evaluate(() => document.title)).toBe('Hello Browser')
    const button = page.getByRole('button', { name: /Clicked 0 times/ })
    await button.waitFor()
    await expect
      .poll(async () => {
        await page.getByRole('button').click()
        return page.getByRole('button').textContent()
      })
      .toMatch(/Clicked [1-9]\d* times/)
    expect(await page.getByTestId('tricky').textContent()).toBe('</script><script>window.__pwned = true</script><!-- \u2028\u2029 &amp;')
    expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined()
    // JSON-LD is sent once, in its script, and the client read it back from there: React's own
    // element, so a client navigation to a page without any removes it.
    const jsonLdNames = () =>
      page.evaluate(() =>
        Array.from(
          document.querySelectorAll('script[type="application/ld+json"]'),
          (script) => (JSON.parse(script.textContent ?? '') as { name: string }).name,
        ),
      )
    expect(await jsonLdNames()).toEqual(['</script><script>window.__pwned = true</script><!-- \u2028\u2029 &amp;'])
    expect(await page.evaluate(() => 'jsonLd' in (window as unknown as { __TESSERA__: { head: object } }).__TESSERA__.head)).toBe(false)
    await markWindow(page)
    await page.getByRole('link', { name: 'Products', exact: true }).click()
    await expect.poll(() => page.evaluate(() => document.title)).toBe('All products · Tessera')
    expect(await windowMarker(page)).toBe(42)
    expect(await jsonLdNames()).toEqual([])
    expect(problems).toEqual([])
    await close()
  })

  it('hydrates a page from the page cache: its inline script allowed by hash, not a nonce', async () => {
    const { page, problems, close } = await openPage()
    await page.goto(`${env.url}/demo/notes`)
    await hydrated(page) // its scripts come after the paint: leaving sooner would cancel them
    const hit = await page.goto(`${env.url}/demo/notes`)
    expect(hit?.headers()['x-cache']).toBe('HIT')
    expect(hit?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/)
    await hydrated(page)
    await markWindow(page)
    await page.getByRole('link', { name: 'Demo', exact: true }).click()
    await expect.poll(() => page.evaluate(() => document.title)).toMatch(/^Hello/)
    expect(await windowMarker(page)).toBe(42) // the client router took the click: no reload
    expect(problems).toEqual([])
    await close()
  })

  it('hydrates a cached page whose deferred part was still coming when it rendered (its boot script streamed with an id)', async () => {
    for (const state of ['MISS', 'HIT']) {
      const { page, problems, close } = await openPage()
      const answer = await page.goto(`${env.url}/demo/flaky?ms=300`)
      expect(answer?.headers()['x-cache']).toBe(state)
      await hydrated(page)
      await page.getByText('The slow part has arrived.').waitFor()
      expect(problems).toEqual([])
      await close()
    }
  })

  it('shows the Suspense fallback, then the streamed part, and hydrates it', async () => {
    const { page, problems, close } = await openPage()
    // The slow part takes 3 s: the fallback must still be there when it is looked for, and a busy
    // CI machine once took longer than 0.8 s to get there (the fallback gone, the wait hung).
    await page.goto(`${env.url}/demo/slow?ms=3000`, { waitUntil: 'commit' })
    await page.getByText('Loading the slow part…').waitFor()
    await page.getByTestId('slow').waitFor()
    expect(await page.getByTestId('slow').textContent()).toBe('The slow part has arrived.')
    await page.waitForLoadState('load')
    expect(problems).toEqual([])
    await close()
  })

  it('renders the content with JavaScript disabled', async () => {
    const { page, problems, close } = await openPage(false)
    await page.goto(`${env.url}/demo?name=NoJS`)
    expect(await page.locator('h1').textContent()).toBe('Hello NoJS')
    expect(await page.getByRole('button').textContent()).toBe('Clicked 0 times')
    expect(await page.getByRole('link', { name: 'Demo' }).count()).toBe(1)
    expect(problems).toEqual([])
    await close()
  })
})
