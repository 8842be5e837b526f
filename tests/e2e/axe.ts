import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AxeResults, Result } from 'axe-core'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The impacts a page may not have: axe's "serious" and "critical". */
const BLOCKING = new Set(['serious', 'critical'])

/**
 * axe-core's serious and critical violations on the page as it is now, one readable line per
 * failing element (empty when there are none): `expect(await accessibilityProblems(page)).toEqual([])`.
 *
 * axe goes in through `page.evaluate`, not `page.addScriptTag({ content })`: the store's CSP
 * allows inline scripts only with the response's nonce, so an added inline <script> is blocked,
 * while DevTools' Runtime.evaluate (what evaluate uses) is not subject to the page's CSP. That
 * keeps the CSP on (`bypassCSP` would test a page the store never serves) and works in a context
 * with JavaScript disabled too, where Playwright still evaluates. Say so (`javaScriptEnabled:
 * false`): Chromium then runs no page callbacks, not timers nor queueMicrotask, only promise
 * jobs, and axe waits on setTimeout; for the check, setTimeout becomes a promise job (the page's
 * own scripts never ran, so nothing else sees it).
 */
export async function accessibilityProblems(page: Page, { javaScriptEnabled = true } = {}): Promise<string[]> {
  if (!javaScriptEnabled) {
    await page.evaluate(() => {
      const later = (callback: (...args: unknown[]) => void, _ms?: number, ...args: unknown[]) => void Promise.resolve().then(() => callback(...args))
      window.setTimeout = later as unknown as typeof window.setTimeout
    })
  }
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  // Violations only: passes and incomplete checks would make the answer large for nothing. Touch
  // targets too (WCAG 2.2's 2.5.8), a rule axe runs only when asked.
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(options: object): Promise<unknown> } }).axe.run({
      resultTypes: ['violations'],
      rules: { 'target-size': { enabled: true } },
    }),
  )
  return describe((results as AxeResults).violations.filter((violation) => BLOCKING.has(violation.impact ?? '')))
}

/** `color-contrast (serious) .site-footer: Element has insufficient color contrast…` */
function describe(violations: Result[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => {
      const why = (node.failureSummary ?? violation.help).replace(/\s+/g, ' ').trim()
      return `${violation.id} (${violation.impact}) ${node.target.join(' ')}: ${why} [${node.html.slice(0, 160)}]`
    }),
  )
}
