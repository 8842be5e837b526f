import { Readable } from 'node:stream'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ComponentType } from 'react'
import { renderToPipeableStream, renderToString } from 'react-dom/server'
import { App, Document, ErrorPage, type Head, type NavItem, type PageAssets } from '#shared/ui'
import { BOOT_GLOBAL, settleRuntime, type Boot, type Settled } from '#shared/client'
import { errorMessage, settleReady, settledOf, splitDeferred, type Deferred } from './deferred.server.ts'
import { DocumentStream } from './document-stream.server.ts'
import { serializeForScript } from './serialize.ts'

export interface RendererOptions {
  nav: NavItem[]
  assetsFor: (pageId: string) => PageAssets
  renderTimeoutMs: number
  /** Show error messages of failed deferred data to the browser (dev only). */
  exposeErrors: boolean
  onError: (err: unknown) => void
}

export interface PageRender {
  pageId: string
  Page: ComponentType<{ data: unknown; params: Record<string, string> }>
  data: unknown
  params: Record<string, string>
  head: Head
  status?: ContentfulStatusCode
}

const HTML = 'text/html; charset=utf-8'
/** React's marker of a Suspense boundary it could not finish on the server. */
const UNFINISHED_BOUNDARY = '<!--$!-->'

/**
 * Renders pages the fastest way that stays correct. When nothing on the page waits, one
 * `renderToString` and one response with Content-Length (measured at ~2x the throughput of any
 * streaming API). When something waits (deferred data, or a boundary renderToString left
 * unfinished), stream: the shell first, each Suspense boundary as it resolves, and the scripts
 * in the shell so hydration starts before the stream ends.
 */
export function createRenderer(options: RendererOptions) {
  const { nav, assetsFor, renderTimeoutMs, exposeErrors, onError } = options

  async function renderPage(c: Context, page: PageRender): Promise<Response> {
    const nonce = c.get('secureHeadersNonce') as string | undefined
    const { json, deferred } = splitDeferred(page.data)
    await settleReady(deferred)
    const assets = assetsFor(page.pageId)
    const pending = deferred.filter(({ promise }) => promise.status === 'pending')
    const boot: Boot = {
      page: page.pageId,
      params: page.params,
      data: json,
      deferred: deferred.map(({ key }) => key),
      settled: Object.fromEntries(deferred.flatMap(({ key, promise }) => {
        const settled = settledOf(promise, exposeErrors)
        return settled ? [[key, settled]] : []
      })),
      head: page.head,
      assets,
      nav,
    }
    const bootScript = `self.${BOOT_GLOBAL}=${serializeForScript(boot)};${BOOT_GLOBAL}.${settleRuntime.replace(':', '=')}`
    const element = (
      <Document head={page.head} assets={assets}>
        <App nav={nav} Page={page.Page} data={page.data} params={page.params} />
      </Document>
    )
    const status = page.status ?? 200

    if (pending.length === 0) {
      const html = tryRenderToString(element)
      if (html !== undefined && !html.includes(UNFINISHED_BOUNDARY)) {
        const scripts = `<script${nonceAttr(nonce)}>${bootScript}</script><script type="module"${nonceAttr(nonce)} src="${assets.entry}"></script>`
        return wholeDocument(c, `<!DOCTYPE html>${insertBeforeBodyEnd(html, scripts)}`, status)
      }
    }
    const body = await renderStream(element, { nonce, bootScript, entry: assets.entry, pending })
    return c.body(body, status, { 'Content-Type': HTML })
  }

  function renderStream(
    element: React.ReactElement,
    { nonce, bootScript, entry, pending }: { nonce?: string; bootScript: string; entry: string; pending: Deferred[] },
  ): Promise<ReadableStream<Uint8Array>> {
    const sink = new DocumentStream()
    const timeout = new AbortController()
    const timer = setTimeout(() => timeout.abort(new Error(`Render did not finish in ${renderTimeoutMs} ms`)), renderTimeoutMs)
    sink.once('close', () => clearTimeout(timer))
    for (const { key, promise } of pending) {
      sink.hold()
      void settleWithin(promise, timeout.signal, exposeErrors).then((settled) => {
        sink.writeScript(`<script${nonceAttr(nonce)}>${BOOT_GLOBAL}.settle(${serializeForScript(key)},${serializeForScript(settled)});document.currentScript.remove()</script>`)
        sink.release()
      })
    }
    return new Promise((resolve, reject) => {
      const { pipe, abort } = renderToPipeableStream(element, {
        nonce,
        bootstrapScriptContent: bootScript,
        bootstrapModules: [entry],
        onShellReady() {
          pipe(sink)
          sink.shellSent()
          resolve(Readable.toWeb(sink) as ReadableStream<Uint8Array>)
        },
        onShellError: reject,
        onError,
      })
      timeout.signal.addEventListener('abort', () => abort(timeout.signal.reason))
    })
  }

  /** A friendly, static error page: the layout and a message, no scripts to load. */
  function renderErrorPage(c: Context, status: ContentfulStatusCode, title: string, message: string): Response {
    const assets = { ...assetsFor(''), preload: [] }
    const html = renderToString(
      <Document head={{ title: `${title} · Tessera` }} assets={assets}>
        <App nav={nav} Page={() => <ErrorPage status={status} title={title} message={message} />} data={null} params={{}} />
      </Document>,
    )
    return wholeDocument(c, `<!DOCTYPE html>${html}`, status)
  }

  return { renderPage, renderErrorPage }
}

export type Renderer = ReturnType<typeof createRenderer>

function wholeDocument(c: Context, html: string, status: ContentfulStatusCode): Response {
  return c.body(html, status, { 'Content-Type': HTML, 'Content-Length': String(Buffer.byteLength(html)) })
}

function tryRenderToString(element: React.ReactElement): string | undefined {
  try {
    return renderToString(element)
  } catch {
    return undefined // the shell itself suspended: stream instead
  }
}

async function settleWithin(promise: Promise<unknown>, signal: AbortSignal, expose: boolean): Promise<Settled> {
  const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
  try {
    return { value: await Promise.race([promise, aborted]) }
  } catch (reason) {
    return { error: errorMessage(reason, expose) }
  }
}

function insertBeforeBodyEnd(html: string, insert: string): string {
  const at = html.lastIndexOf('</body>')
  return at === -1 ? html + insert : html.slice(0, at) + insert + html.slice(at)
}

const nonceAttr = (nonce: string | undefined) => (nonce ? ` nonce="${nonce}"` : '')
