import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core'
import { afterAll, beforeAll, inject } from 'vitest'
import { chromiumArgs, chromiumPath } from '../support/chromium.ts'
import { startBuiltServer, type ServerProcess } from '../support/server-process.ts'

/**
 * For a browser test file: starts the production build and Chromium before its tests and stops
 * both after. Read `url` and `browser` inside tests.
 */
export function withServerAndBrowser(env: Record<string, string> = {}): { readonly url: string; readonly browser: Browser } {
  let server: ServerProcess | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    server = await startBuiltServer(inject('builtRoot'), env)
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })
  return {
    get url() {
      return server!.url
    },
    get browser() {
      return browser!
    },
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
}

export interface OpenedPage {
  page: Page
  /** Console errors and warnings, uncaught exceptions, failed requests. */
  problems: string[]
  close(): Promise<void>
}

/** A fresh browser context and page that records what went wrong. */
export async function openPage(browser: Browser, { javaScriptEnabled = true } = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ javaScriptEnabled })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('requestfailed', async (request) => {
    // What a page fetches on the side, its scripts (after its first paint, decision 019) and the
    // tab's icon, a navigation (or the test ending) cancels midway. One that is not there would be
    // a 404 answer, not a failed request.
    const onTheSide = request.resourceType() === 'script' || new URL(request.url()).pathname === '/favicon.svg'
    if (onTheSide && request.failure()?.errorText === 'net::ERR_ABORTED') return
    // Chromium reports a fetch whose body the page read through a stream reader as ERR_ABORTED
    // even when every byte arrived; a data request that got its 200 answer did not fail.
    const isData = (r: typeof request | null): boolean => !!r && (r.headers()['x-tessera-data'] === '1' || isData(r.redirectedFrom()))
    // (The test may have closed the page meanwhile: its answer is then no one's concern.)
    const answered = isData(request) && (await request.response().catch(() => null))?.status() === 200
    // A form's answer that a guard redirected to a page (signed out meanwhile): the router fetches
    // that page its own way and drops this HTML unread.
    const dropped = request.redirectedFrom()?.headers()['x-tessera-action'] === '1' && request.failure()?.errorText === 'net::ERR_ABORTED'
    if (!answered && !dropped) problems.push(`requestfailed: ${request.url()} ${request.failure()?.errorText}`)
  })
  return { page, problems, close: () => context.close() }
}

/** Marks the window: if the marker survives, the page was not reloaded. */
export async function markWindow(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42))
}

export function windowMarker(page: Page): Promise<number | undefined> {
  return page.evaluate(() => (window as unknown as { __marker?: number }).__marker)
}

/** Waits until the page has hydrated: the client router, once started, owns scroll restoration. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => history.scrollRestoration === 'manual')
}
