import { createHash } from 'node:crypto'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hydrated, markWindow, openPage, withServerAndBrowser, windowMarker } from './browser.ts'

/*
 * Issue #20: nothing is fetched before the first paint. The stylesheet is inside the page, in one
 * <style> the CSP allows by its hash (the same on a cached page's every hit), so a phone paints
 * after the HTML alone; the scripts are fetched after that paint; and hydration, which reads that
 * <style> back, still works, with nothing the CSP refuses.
 */

const env = withServerAndBrowser()

/**
 * What Chromium says blocked rendering (Resource Timing's renderBlockingStatus), the paints, and
 * the scripts whose fetch started before the first contentful paint.
 */
const timings = () => {
  const resources = performance.getEntriesByType('resource') as (PerformanceResourceTiming & { renderBlockingStatus?: string })[]
  const firstPaint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.POSITIVE_INFINITY
  const scripts = resources.filter((entry) => entry.name.endsWith('.js'))
  return {
    blocking: resources.filter((entry) => entry.renderBlockingStatus === 'blocking').map((entry) => entry.name),
    scripts: scripts.length,
    scriptsBeforePaint: scripts.filter((entry) => entry.startTime < firstPaint).map((entry) => entry.name),
    paints: performance.getEntriesByType('paint').map((entry) => entry.name),
  }
}
/** Keeps what the CSP refuses on the page (Chromium logs no console error for a caught eval). */
const recordCspViolations = (page: Page) =>
  page.addInitScript(() => {
    const violations: string[] = ((window as unknown as { __violations: string[] }).__violations = [])
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`))
  })
const styleSrc = (csp: string | null | undefined) => /style-src [^;]*/.exec(csp ?? '')?.[0]

describe('the first paint', () => {
  for (const path of ['/', '/products', '/login']) {
    it(`of ${path} waits for no stylesheet: it is inline, allowed by its hash, and applied`, async () => {
      const { page, problems, close } = await openPage(env.browser)
      await recordCspViolations(page)
      const res = await page.goto(`${env.url}${path}`)
      const html = await res!.text()
      expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/)
      // The scripts do not compete with it either: none is named in the HTML, the boot script loads them after the paint.
      expect(html).not.toMatch(/<link[^>]+rel="modulepreload"|<script[^>]+src=/)
      const css = /<style data-inline-css="">([\s\S]*?)<\/style>/.exec(html)?.[1]
      expect(css?.length).toBeGreaterThan(1000)
      const hash = `'sha256-${createHash('sha256').update(css!).digest('base64')}'`
      expect(styleSrc(res!.headers()['content-security-policy'])?.split(' ')).toContain(hash)
      await hydrated(page)
      const seen = await page.evaluate(timings)
      expect(seen.scripts).toBeGreaterThan(1) // the entry and the page's chunk: Resource Timing is on
      expect(seen.blocking).toEqual([])
      expect(seen.paints).toContain('first-contentful-paint')
      expect(seen.scriptsBeforePaint).toEqual([])
      // The stylesheet applies (the CSP did not refuse it): the header is the flex row styles.css makes it.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')!).display)).toBe('flex')
      // Nothing the CSP refused, not even a probe the script caught (zod's `new Function`, once).
      expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])
      expect(problems).toEqual([])
      await close()
    })
  }

  it('is the same bytes from the page cache, and the page hydrates and navigates with its style', async () => {
    const { page, problems, close } = await openPage(env.browser)
    const miss = await fetch(`${env.url}/products?sort=name`)
    const hit = await fetch(`${env.url}/products?sort=name`)
    expect(hit.headers.get('x-cache')).toBe('HIT')
    expect(await hit.text()).toBe(await miss.text())
    expect(styleSrc(hit.headers.get('content-security-policy'))).toBe(styleSrc(miss.headers.get('content-security-policy')))
    expect((await page.goto(`${env.url}/products?sort=name`))!.headers()['x-cache']).toBe('HIT')
    await hydrated(page)
    const styleText = () => page.evaluate(() => document.querySelector('style[data-inline-css]')?.textContent?.length ?? 0)
    const before = await styleText()
    expect(before).toBeGreaterThan(1000)
    await markWindow(page)
    await page.getByRole('link', { name: 'Tessera' }).first().click()
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe('/')
    expect(await windowMarker(page)).toBe(42) // the client router took the click
    expect(await styleText()).toBe(before) // the style stayed through the navigation
    expect(problems).toEqual([])
    await close()
  })
})
