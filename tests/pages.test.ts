import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from './support/test-app.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
const request = (path: string, init?: RequestInit) => testApp.app.request(`http://localhost${path}`, init)
const asData = { headers: { 'X-Tessera-Data': '1' } }
const origin = 'http://localhost'

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { Origin: origin, ...headers } })
}
const byFetch = { 'X-Tessera-Action': '1', Accept: 'application/json' }
const lines = async (res: Response) =>
  (await res.text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))

beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

describe('page data for client navigation', () => {
  it('answers the same URL as NDJSON with the page, its data and head', async () => {
    const res = await request('/demo?name=Nav', asData)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^application\/x-ndjson/)
    expect(res.headers.get('Vary')).toContain('X-Tessera-Data')
    const [page] = await lines(res)
    expect(page).toMatchObject({
      url: '/demo?name=Nav',
      page: 'tests/fixtures/domains/demo/pages/counter.page.tsx',
      data: { greeting: 'Nav' },
      head: { title: 'Hello Nav' },
      deferred: [],
    })
  })

  it('streams deferred values as later lines', async () => {
    const res = await request('/demo/slow?ms=50', asData)
    const [page, slow] = await lines(res)
    expect(page.deferred).toEqual(['slow'])
    expect(page.settled).toEqual({})
    expect(slow).toEqual({ key: 'slow', settled: { value: { message: 'The slow part has arrived.' } } })
  })

  it("turns a loader's redirect into a redirect line (and a 302 for HTML)", async () => {
    expect(await lines(await request('/demo/old', asData))).toEqual([{ redirect: '/demo?name=moved' }])
    const html = await request('/demo/old')
    expect(html.status).toBe(302)
    expect(html.headers.get('Location')).toBe('/demo?name=moved')
  })
})

describe('per-route views', () => {
  it("shows the page's own NotFound when its loader calls notFound()", async () => {
    const res = await request('/demo/notes?missing')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('No notes here: <!-- -->the notebook is closed')
  })

  it("shows the page's own ErrorFallback when its loader fails, without the error's details", async () => {
    const res = await request('/demo/fragile?loader')
    expect(res.status).toBe(500)
    const html = await res.text()
    expect(html).toContain('The fragile page broke: <!-- -->This page could not be loaded.')
    expect(html).not.toContain('loader exploded')
  })

  it("shows the page's own ErrorFallback the loader's error in development (it had the generic message there too)", async () => {
    const dev = await createTestApp({ NODE_ENV: 'development' })
    try {
      const res = await dev.app.request('http://localhost/demo/fragile?loader')
      expect(res.status).toBe(500)
      expect(await res.text()).toContain('The fragile page broke: <!-- -->loader exploded (shown in development only; the log has its stack)')
    } finally {
      await dev.close()
    }
  })

  it('answers a page that fails to render with the friendly 500 page', async () => {
    const res = await request('/demo/fragile?render')
    expect(res.status).toBe(500)
    expect(await res.text()).toContain('Something went wrong')
  })
})

describe('actions without JavaScript', () => {
  it('runs the action and redirects back with 303 (post/redirect/get)', async () => {
    const res = await post('/demo/notes', { body: 'from a plain form' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/demo/notes')
    expect(await (await request('/demo/notes')).text()).toContain('<li>from a plain form</li>')
  })

  it('shows the page again with field errors and the input kept (422), secrets left out', async () => {
    const res = await post('/demo/notes', { body: 'taken', password: 'hunter2' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('That note exists already')
    expect(html).toContain('value="taken"')
    expect(html).not.toContain('hunter2')
    expect(html).toContain('"action":{"ok":false') // the state hydrates too
  })

  it('reports schema errors per field', async () => {
    const res = await post('/demo/notes', { body: '   ' })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('Write something first')
  })

  it('follows a redirect() from the action with 303', async () => {
    const res = await post('/demo/notes', { body: 'elsewhere' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/demo?name=redirected')
  })

  it('refuses a cross-site post with 403 and changes nothing', async () => {
    const res = await post('/demo/notes', { body: 'forged' }, { Origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect(await (await request('/demo/notes')).text()).not.toContain('forged')
  })

  it('answers a POST to a page without an action with 405 and the methods it answers', async () => {
    const res = await post('/demo', { x: '1' })
    expect([res.status, res.headers.get('Allow')]).toEqual([405, 'GET, HEAD'])
  })

  it('answers OPTIONS, a cross-site preflight too, as the API does: 405 with Allow, no CORS headers (docs/api.md)', async () => {
    const preflight = { method: 'OPTIONS', headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST' } }
    for (const [path, allow] of [
      ['/demo', 'GET, HEAD'],
      ['/demo/notes', 'GET, HEAD, POST'],
      ['/api/products', 'GET, HEAD, POST'],
      ['/robots.txt', 'GET, HEAD'],
    ]) {
      const res = await request(path!, preflight)
      expect([path, res.status, res.headers.get('Allow'), res.headers.get('Access-Control-Allow-Origin')]).toEqual([path, 405, allow, null])
    }
  })
})

describe('actions by fetch', () => {
  it('answers success as JSON', async () => {
    const res = await post('/demo/notes', { body: 'from fetch' }, byFetch)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('answers errors as JSON 422 with the fields and input', async () => {
    const res = await post('/demo/notes', { body: 'taken' }, byFetch)
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({ ok: false, fieldErrors: { body: ['That note exists already'] }, values: { body: 'taken' } })
  })

  it('answers a redirect as JSON for the client to follow', async () => {
    expect(await (await post('/demo/notes', { body: 'elsewhere' }, byFetch)).json()).toEqual({ ok: true, redirect: '/demo?name=redirected' })
  })
})

describe('behind a TLS proxy (PUBLIC_URL)', () => {
  it('checks form posts against the public origin, not the request URL', async () => {
    const proxied = await createTestApp({ PUBLIC_URL: 'https://shop.example/' })
    const postFrom = (origin: string) =>
      proxied.app.request('http://internal:3000/demo/notes', { method: 'POST', body: new URLSearchParams({ body: 'via proxy' }), headers: { Origin: origin } })
    try {
      expect((await postFrom('https://shop.example')).status).toBe(303)
      expect((await postFrom('http://internal:3000')).status).toBe(403)
    } finally {
      await proxied.close()
    }
  })
})

describe('a part still loading at RENDER_TIMEOUT_MS', () => {
  it('is rendered failed by the server, so a browser without JavaScript shows its message, not "Loading…" for good; logged once', async () => {
    const lines: string[] = []
    const slowApp = await createTestApp({ RENDER_TIMEOUT_MS: '300' }, { logTo: (line) => lines.push(line) })
    try {
      const html = await (await slowApp.app.request('http://localhost/demo/slow?ms=5000')).text()
      // Streamed as the boundary's content (a no-JavaScript style shows it), not handed to the client.
      expect(html).toMatch(/<div hidden[^>]*id="S:\d+">.*This part of the page could not be shown/s)
      expect(html).not.toContain('$RX')
      expect(html).toContain('"error":"This part of the page could not be loaded."')
      expect(lines.filter((line) => line.includes('Render did not finish in 300 ms'))).toHaveLength(1)
    } finally {
      await slowApp.close()
    }
  })
})
