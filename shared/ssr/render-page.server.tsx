import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ReactElement, ReactNode } from 'react'
import { renderToPipeableStream, renderToString } from 'react-dom/server'
import { cspNonce, isAnonymous, toWebStream } from '#shared/http'
import { inSpan, startSpan } from '#shared/tracing'
import { BOOT_GLOBAL, loadAfterPaint, settleRuntime, type Boot, type PagePayload } from '#shared/client'
import { App, Document, ErrorPage, Layout, SiteHeader, visibleNav, type PageAssets, type PageView } from '#shared/ui'
import { countBadges, NO_BADGES, type LayoutSources } from './layout-sources.server.ts'
import { settleReady, settledOf, splitDeferred, settleWithin, withDeadline, type Deferred } from './deferred.server.ts'
import { DocumentStream } from './document-stream.server.ts'
import { serializeForScript } from './serialize.ts'

export interface RendererOptions extends LayoutSources {
  assetsFor: (pageId: string) => PageAssets
  renderTimeoutMs: number
  /** Show error messages of failed deferred data, and of a failed loader to its page's ErrorFallback, to the browser (dev only). */
  exposeErrors: boolean
  /** A part of a page failed (a render error, a badge's count): `c` is the request's, for its logger. */
  onError: (err: unknown, c: Context) => void
}

export type PageRender = PageView & { status?: ContentfulStatusCode }

const HTML = 'text/html; charset=utf-8'
const NDJSON = 'application/x-ndjson; charset=utf-8'
/** React's marker of a Suspense boundary it could not finish on the server. */
const UNFINISHED_BOUNDARY = '<!--$!-->'

/** How long after the render timeout a render still held (by something other than a deferred part) is cut off. */
const ABORT_GRACE_MS = 1000

/**
 * Renders pages the fastest way that stays correct. When nothing on the page waits, one
 * `renderToString` and one response with Content-Length (measured at ~2x the throughput of any
 * streaming API). When something waits (deferred data, or a boundary renderToString left
 * unfinished), stream: the shell first, each Suspense boundary as it resolves, and the scripts
 * in the shell so hydration starts before the stream ends.
 */
export function createRenderer(options: RendererOptions) {
  const { nav, viewerOf, badgeCounters, personalCookies, assetsFor, renderTimeoutMs, exposeErrors, onError } = options
  // A visitor's header (no one signed in, no counts) is the same on every page: rendered once.
  const visitorNav = visibleNav(nav, null)
  let visitorHeader: string | undefined

  /**
   * The header's markup when it is a visitor's: rendered once, then reused (a fifth of a product
   * page's render, measured). Not with a form in it: a form's ids depend on its place in the page.
   */
  function headerHtmlFor({ nav: items, viewer, badges }: Pick<PageView, 'nav' | 'viewer' | 'badges'>): string | undefined {
    if (items !== visitorNav || viewer !== null || badges !== NO_BADGES || items.some((item) => item.method === 'post')) return undefined
    return (visitorHeader ??= renderToString(<SiteHeader nav={items} viewer={null} badges={NO_BADGES} />))
  }

  /**
   * The header for this request: the viewer's navigation and, for a request with a personal
   * cookie only, its badges' counts. Any other visitor costs no count (no query), and sees what a
   * cached page shows them: none. The viewer first: a counter may ask for the user it looked up.
   */
  async function layoutFor(c: Context): Promise<Pick<PageView, 'nav' | 'viewer' | 'badges'>> {
    // Without a personal cookie there is no one to look up: no query, and the answer stays one
    // anybody may be given (reading the session cookie would mark it private: readCookie).
    const anonymous = isAnonymous(c, personalCookies)
    const viewer = anonymous ? null : await viewerOf(c)
    const items = viewer ? visibleNav(nav, viewer) : visitorNav
    const badges = anonymous ? NO_BADGES : await countBadges(c, items, badgeCounters, (err) => onError(err, c))
    return { nav: items, viewer, badges }
  }

  /** The page as HTML, for a browser's request. */
  async function renderPage(c: Context, page: PageRender): Promise<Response> {
    const nonce = cspNonce(c)
    const { payload, deferred, pending } = await prepare(page)
    reportFailedParts(c, deferred)
    const assets = assetsFor(page.pageId)
    // JSON-LD and the inline stylesheet are in the page once: the client reads them from there (hydratePage).
    const { jsonLd: _inScripts, ...head } = payload.head
    const boot: Boot = { ...payload, head, assets: { ...assets, inlineCss: '' } }
    const bootScript = `self.${BOOT_GLOBAL}=${serializeForScript(boot)}${BOOT_RUNTIME}`
    const deadline = new AbortController()
    const view = pending.length ? { ...page, data: withDeadline(page.data as Record<string, unknown>, pending, deadline.signal) } : page
    const element = <App view={view} assets={assets} router={null} headerHtml={headerHtmlFor(page)} />
    const status = page.status ?? 200

    if (pending.length === 0) {
      const html = inSpan('render', { 'tessera.render': 'string' }, () => tryRenderToString(element))
      if (html !== undefined && !html.includes(UNFINISHED_BOUNDARY)) {
        const scripts = `<script${nonceAttr(nonce)}>${bootScript}</script>`
        return wholeDocument(c, `<!DOCTYPE html>${insertBeforeBodyEnd(html, scripts)}`, status)
      }
    }
    // A HEAD needs no body: rendering one nobody reads would hold the render open until the timeout.
    if (c.req.method === 'HEAD') return c.body(null, status, { 'Content-Type': HTML })
    const body = await renderStream(c, element, { nonce, bootScript, pending, deadline })
    return c.body(body, status, { 'Content-Type': HTML })
  }

  /**
   * The page as data, for client-side navigation: one NDJSON line with the page, then one line
   * per deferred value as it settles. The same loader ran, so the same checks applied.
   */
  async function renderData(c: Context, page: PageRender): Promise<Response> {
    const { payload, pending } = await prepare(page)
    const first = `${JSON.stringify(payload)}\n`
    if (pending.length === 0) {
      return c.body(first, page.status ?? 200, { 'Content-Type': NDJSON, 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(first)) })
    }
    const timeout = AbortSignal.timeout(renderTimeoutMs)
    const body = new ReadableStream<string>({
      async start(controller) {
        controller.enqueue(first)
        await Promise.all(
          pending.map(async ({ key, promise }) => {
            const settled = await settleWithin(promise, timeout, exposeErrors)
            if ('error' in settled) c.set('renderDegraded', true)
            controller.enqueue(`${JSON.stringify({ key, settled })}\n`)
          }),
        )
        controller.close()
      },
    }).pipeThrough(new TextEncoderStream())
    return c.body(body, page.status ?? 200, { 'Content-Type': NDJSON, 'Cache-Control': 'no-store' })
  }

  /**
   * A deferred value that failed (now, or later while the page streams): logged, and the page marked
   * degraded, so the page cache does not keep it. PagePart renders the failure's message in the
   * part's place, so React itself sees no error to report.
   */
  function reportFailedParts(c: Context, deferred: Deferred[]): void {
    const failed = (reason: unknown) => {
      c.set('renderDegraded', true)
      onError(reason, c)
    }
    for (const { promise } of deferred) {
      if (promise.status === 'rejected') failed(promise.reason)
      else if (promise.status === 'pending') promise.catch(failed)
    }
  }

  /** Splits the data, lets settled values report, and builds what the client will receive. */
  async function prepare(page: PageRender): Promise<{ payload: PagePayload; deferred: Deferred[]; pending: Deferred[] }> {
    const { json, deferred } = splitDeferred(page.data)
    await settleReady(deferred)
    const settled = Object.fromEntries(
      deferred.flatMap(({ key, promise }) => {
        const outcome = settledOf(promise, exposeErrors)
        return outcome ? [[key, outcome]] : []
      }),
    )
    const payload: PagePayload = {
      url: page.url,
      page: page.pageId,
      params: page.params,
      data: json,
      deferred: deferred.map(({ key }) => key),
      settled,
      head: page.head,
      nav: page.nav,
      viewer: page.viewer,
      badges: page.badges,
      ...(page.action ? { action: page.action } : {}),
    }
    return { payload, deferred, pending: deferred.filter(({ promise }) => promise.status === 'pending') }
  }

  function renderStream(
    c: Context,
    element: ReactElement,
    { nonce, bootScript, pending, deadline: timeout }: { nonce?: string; bootScript: string; pending: Deferred[]; deadline: AbortController },
  ): Promise<ReadableStream<Uint8Array>> {
    const sink = new DocumentStream()
    // Ends when the last byte is written (or the visitor leaves): the shell and every streamed part.
    const streamSpan = startSpan('render', { 'tessera.render': 'stream', 'tessera.deferred': pending.length })
    sink.once('close', () => streamSpan.end())
    // At the deadline the parts still waiting fail (withDeadline) and render their failure; React is
    // stopped only if something else still holds the render a moment later.
    const timer = setTimeout(() => timeout.abort(new Error(`Render did not finish in ${renderTimeoutMs} ms`)), renderTimeoutMs)
    sink.once('close', () => clearTimeout(timer))
    for (const { key, promise } of pending) {
      if (promise.status !== 'pending') continue
      sink.hold()
      const partSpan = startSpan('deferred', { 'tessera.deferred.key': key })
      void settleWithin(promise, timeout.signal, exposeErrors).then((settled) => {
        if ('error' in settled) {
          c.set('renderDegraded', true)
          partSpan.fail(new Error(settled.error))
        }
        partSpan.end()
        sink.writeScript(
          `<script${nonceAttr(nonce)}>${BOOT_GLOBAL}.settle(${serializeForScript(key)},${serializeForScript(settled)});document.currentScript.remove()</script>`,
        )
        sink.release()
      })
    }
    return new Promise((resolve, reject) => {
      const { pipe, abort } = renderToPipeableStream(element, {
        nonce,
        // The boot data, and what loads the client's modules after the first paint (loadAfterPaint).
        bootstrapScriptContent: bootScript,
        onShellReady() {
          pipe(sink)
          sink.shellSent()
          resolve(toWebStream(sink))
        },
        onShellError: reject,
        onError(err) {
          c.set('renderDegraded', true)
          // A visitor who leaves mid-stream is not an error worth a log line.
          if (!sink.destroyed) onError(err, c)
        },
      })
      timeout.signal.addEventListener('abort', () => {
        if (sink.destroyed) return
        if (pending.some(({ promise }) => promise.status === 'pending')) onError(timeout.signal.reason, c)
        const stop = setTimeout(() => abort(timeout.signal.reason), ABORT_GRACE_MS)
        sink.once('close', () => clearTimeout(stop))
      })
    })
  }

  /** A page without scripts: the layout around `body`. For errors and not-found pages. */
  async function renderStatic(c: Context, status: ContentfulStatusCode, title: string, body: ReactNode): Promise<Response> {
    const assets = { ...assetsFor(''), preload: [] }
    const layout = await layoutFor(c).catch(() => ({ nav: visitorNav, viewer: null, badges: NO_BADGES }))
    const html = renderToString(
      <Document head={{ title: `${title} · Tessera` }} assets={assets}>
        <Layout {...layout} headerHtml={headerHtmlFor(layout)}>
          {body}
        </Layout>
      </Document>,
    )
    return wholeDocument(c, `<!DOCTYPE html>${html}`, status)
  }

  /** A friendly error page: what happened and a way back. */
  function renderErrorPage(c: Context, status: ContentfulStatusCode, title: string, message: string): Promise<Response> {
    return renderStatic(c, status, title, <ErrorPage status={status} title={title} message={message} />)
  }

  /**
   * What a page's own `ErrorFallback` is shown when its loader failed: in development the error's
   * message (as the app's 500 page shows it there), else a generic one that reveals nothing.
   */
  function loaderErrorShown(error: unknown): Error {
    if (exposeErrors && error instanceof Error) return new Error(`${error.message} (shown in development only; the log has its stack)`)
    return new Error('This page could not be loaded.')
  }

  return { layoutFor, renderPage, renderData, renderStatic, renderErrorPage, loaderErrorShown }
}

export type Renderer = ReturnType<typeof createRenderer>

function wholeDocument(c: Context, html: string, status: ContentfulStatusCode): Response {
  return c.body(html, status, { 'Content-Type': HTML, 'Content-Length': String(Buffer.byteLength(html)) })
}

function tryRenderToString(element: ReactElement): string | undefined {
  try {
    return renderToString(element)
  } catch {
    return undefined // the shell itself suspended: stream instead
  }
}

function insertBeforeBodyEnd(html: string, insert: string): string {
  const at = html.lastIndexOf('</body>')
  return at === -1 ? html + insert : html.slice(0, at) + insert + html.slice(at)
}

/** What follows the boot data in its script, the same on every page: the settle runtime, then the module loader. */
const BOOT_RUNTIME = `;${BOOT_GLOBAL}.${settleRuntime.replace(':', '=')};${loadAfterPaint}`

const nonceAttr = (nonce: string | undefined) => (nonce ? ` nonce="${nonce}"` : '')
