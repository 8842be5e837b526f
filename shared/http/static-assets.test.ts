import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { compressResponses } from './compress.server.ts'
import { staticAssets } from './static-assets.server.ts'

describe('staticAssets from memory (the single executable)', () => {
  const files: Record<string, string> = { '/assets/app-1a2b.js': 'console.log(1)', '/assets/app-1a2b.css': 'p{}' }
  const app = staticAssets((path) => (path in files ? new TextEncoder().encode(files[path]).buffer : undefined))

  it('answers a hashed file with its type, its length and the immutable header', async () => {
    const res = await app.request('/assets/app-1a2b.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    expect(await res.text()).toBe('console.log(1)')
    expect((await app.request('/assets/app-1a2b.css')).headers.get('Content-Type')).toBe('text/css; charset=utf-8')
  })

  it('answers HEAD without a body', async () => {
    const res = await app.request('/assets/app-1a2b.js', { method: 'HEAD' })
    expect(res.headers.get('Content-Length')).toBe('14')
    expect(await res.text()).toBe('')
  })

  it('passes on what it does not hold, and other methods', async () => {
    expect((await app.request('/assets/missing.js')).status).toBe(404)
    expect((await app.request('/assets/app-1a2b.js', { method: 'POST' })).status).toBe(404)
    expect((await app.request('/app-1a2b.js')).status).toBe(404)
  })
})

describe('staticAssets from a folder (dist/client)', () => {
  const root = mkdtempSync(join(tmpdir(), 'tessera-assets-'))
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'assets/app-1a2b.js'), 'console.log("a hashed file")')
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const app = staticAssets(root)

  it('marks a part of a file (206, a Range request) immutable, as the whole', async () => {
    const whole = await app.request('/assets/app-1a2b.js')
    expect(whole.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    const part = await app.request('/assets/app-1a2b.js', { headers: { Range: 'bytes=0-6' } })
    expect([part.status, await part.text()]).toEqual([206, 'console'])
    expect(part.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
  })

  it('serves one byte range as a 206, and 416 with bytes */length when the file is too short for it', async () => {
    const cases: [string, number, string | null, string][] = [
      ['bytes=0-6', 206, 'bytes 0-6/28', 'console'],
      ['bytes=-6', 206, 'bytes 22-27/28', 'file")'],
      ['bytes=20-', 206, 'bytes 20-27/28', 'd file")'],
      ['Bytes=0-6', 206, 'bytes 0-6/28', 'console'], // the unit is case-insensitive
      ['bytes=0-999', 206, 'bytes 0-27/28', 'console.log("a hashed file")'],
      ['bytes=28-', 416, 'bytes */28', ''],
      ['bytes=-0', 416, 'bytes */28', ''],
    ]
    for (const [range, status, contentRange, body] of cases) {
      const res = await app.request('/assets/app-1a2b.js', { headers: { Range: range } })
      expect([range, res.status, res.headers.get('Content-Range'), await res.text()]).toEqual([range, status, contentRange, body])
    }
  })

  it('ignores a Range it does not serve (malformed, another unit, several ranges, end before start): 200 and the whole file', async () => {
    for (const range of ['bytes=abc', 'items=0-1', 'bytes=0-1,5-6', 'bytes=5-2', 'bytes=-', '0-6', 'bytes=0-1, -2']) {
      const res = await app.request('/assets/app-1a2b.js', { headers: { Range: range } })
      expect([range, res.status, res.headers.get('Content-Range'), await res.text()]).toEqual([range, 200, null, 'console.log("a hashed file")'])
    }
  })
})

describe('staticAssets revalidation (RFC 9110 §13)', () => {
  const root = mkdtempSync(join(tmpdir(), 'tessera-assets-'))
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'assets/app-1a2b.js'), 'console.log("a hashed file")')
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const fromFolder = staticAssets(root)
  const fromMemory = staticAssets((path) => (path === '/assets/app-1a2b.js' ? new TextEncoder().encode('console.log("a hashed file")').buffer : undefined))

  for (const [source, app] of [
    ['a folder', fromFolder],
    ['memory', fromMemory],
  ] as const) {
    it(`gives a file from ${source} a strong ETag, and answers a matching If-None-Match with 304 (GET and HEAD)`, async () => {
      const whole = await app.request('/assets/app-1a2b.js')
      const etag = whole.headers.get('ETag')
      expect(etag).toMatch(/^"[^"]+"$/)
      for (const method of ['GET', 'HEAD']) {
        for (const ifNoneMatch of [etag!, `W/${etag}`, `"other", ${etag}`, '*']) {
          const res = await app.request('/assets/app-1a2b.js', { method, headers: { 'If-None-Match': ifNoneMatch } })
          expect([method, ifNoneMatch, res.status, await res.text()]).toEqual([method, ifNoneMatch, 304, ''])
          expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
          expect(res.headers.get('Content-Length')).toBeNull()
        }
      }
      // The tag the client holds: weak when it was sent gzipped.
      expect((await app.request('/assets/app-1a2b.js', { headers: { 'If-None-Match': `W/${etag}` } })).headers.get('ETag')).toBe(`W/${etag}`)
      const changed = await app.request('/assets/app-1a2b.js', { headers: { 'If-None-Match': '"another-version"' } })
      expect([changed.status, await changed.text()]).toEqual([200, 'console.log("a hashed file")'])
    })

    it(`answers an If-Match naming another version from ${source} with 412`, async () => {
      const etag = (await app.request('/assets/app-1a2b.js')).headers.get('ETag')!
      expect((await app.request('/assets/app-1a2b.js', { headers: { 'If-Match': '"another-version"' } })).status).toBe(412)
      expect((await app.request('/assets/app-1a2b.js', { headers: { 'If-Match': etag } })).status).toBe(200)
    })
  }

  it('tags a file by its bytes: two hosts with the same build, unpacked at different times, give it one ETag (a 304 from either)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'tessera-assets-'))
    try {
      mkdirSync(join(copy, 'assets'))
      writeFileSync(join(copy, 'assets/app-1a2b.js'), 'console.log("a hashed file")')
      utimesSync(join(copy, 'assets/app-1a2b.js'), new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'))
      const otherHost = staticAssets(copy)
      const here = (await fromFolder.request('/assets/app-1a2b.js')).headers.get('ETag')
      const there = (await otherHost.request('/assets/app-1a2b.js')).headers.get('ETag')
      expect(there).toBe(here)
      expect((await otherHost.request('/assets/app-1a2b.js', { headers: { 'If-None-Match': here! } })).status).toBe(304)
      // A file written over (another mtime) is hashed again: other bytes, another tag.
      writeFileSync(join(copy, 'assets/app-1a2b.js'), 'console.log("a hashed fil!")')
      utimesSync(join(copy, 'assets/app-1a2b.js'), new Date('2026-01-03T03:04:05Z'), new Date('2026-01-03T03:04:05Z'))
      expect((await otherHost.request('/assets/app-1a2b.js', { headers: { 'If-None-Match': here! } })).status).toBe(200)
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })

  it('answers If-Modified-Since no earlier than Last-Modified with 304, unless If-None-Match is there too', async () => {
    const lastModified = (await fromFolder.request('/assets/app-1a2b.js')).headers.get('Last-Modified')!
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString()
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString()
    const status = async (headers: Record<string, string>) => (await fromFolder.request('/assets/app-1a2b.js', { headers })).status
    expect(await status({ 'If-Modified-Since': lastModified })).toBe(304)
    expect(await status({ 'If-Modified-Since': later })).toBe(304)
    expect(await status({ 'If-Modified-Since': earlier })).toBe(200)
    expect(await status({ 'If-Modified-Since': 'not a date' })).toBe(200)
    expect(await status({ 'If-Modified-Since': later, 'If-None-Match': '"another-version"' })).toBe(200)
  })

  it('serves a Range only while If-Range names the current file (strong tag or exact date): else 200 and the whole file', async () => {
    const whole = await fromFolder.request('/assets/app-1a2b.js')
    const etag = whole.headers.get('ETag')!
    const lastModified = whole.headers.get('Last-Modified')!
    const cases: [string, number, string][] = [
      [etag, 206, 'console'],
      [lastModified, 206, 'console'],
      ['"another-version"', 200, 'console.log("a hashed file")'],
      [`W/${etag}`, 200, 'console.log("a hashed file")'], // a weak tag never matches If-Range
      [new Date(Date.parse(lastModified) + 60_000).toUTCString(), 200, 'console.log("a hashed file")'],
      ['garbage', 200, 'console.log("a hashed file")'],
    ]
    for (const [ifRange, status, body] of cases) {
      const res = await fromFolder.request('/assets/app-1a2b.js', { headers: { Range: 'bytes=0-6', 'If-Range': ifRange } })
      expect([ifRange, res.status, res.headers.get('Content-Range'), await res.text()]).toEqual([ifRange, status, status === 206 ? 'bytes 0-6/28' : null, body])
    }
  })

  it('leaves what it does not hold to whoever is next, conditions or not', async () => {
    for (const app of [fromFolder, fromMemory])
      expect((await app.request('/assets/missing.js', { headers: { 'If-None-Match': '*', 'If-Match': '"x"' } })).status).toBe(404)
    // A path no file can have (a NUL: the file system throws on it) is a 404 too, never a 500, GET or HEAD.
    for (const method of ['GET', 'HEAD']) expect([method, (await fromFolder.request('/assets/%00', { method })).status]).toEqual([method, 404])
  })
})

describe('staticAssets behind compressResponses: a HEAD says what its GET would (RFC 9110 §9.3.2)', () => {
  const root = mkdtempSync(join(tmpdir(), 'tessera-assets-'))
  mkdirSync(join(root, 'assets'))
  const css = `${'p { color: red }\n'.repeat(200)}`
  writeFileSync(join(root, 'assets/app-1a2b.css'), css)
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const fromFolder = new Hono().use(compressResponses()).route('/', staticAssets(root))
  const fromMemory = new Hono().use(compressResponses()).route(
    '/',
    staticAssets((path) => (path === '/assets/app-1a2b.css' ? new TextEncoder().encode(css).buffer : undefined)),
  )

  for (const [source, app] of [
    ['a folder', fromFolder],
    ['memory', fromMemory],
  ] as const) {
    it(`from ${source}: the same encoding, length, type and validators, gzipped or not`, async () => {
      for (const encoding of ['gzip', 'identity']) {
        const headers = { 'Accept-Encoding': encoding }
        const got = await app.request('/assets/app-1a2b.css', { headers })
        const length = got.headers.get('Content-Length') ?? String((await got.arrayBuffer()).byteLength)
        const head = await app.request('/assets/app-1a2b.css', { method: 'HEAD', headers })
        const said = (res: Response, contentLength: string | null) => [
          encoding,
          res.status,
          res.headers.get('Content-Encoding'),
          contentLength,
          res.headers.get('Content-Type'),
          res.headers.get('ETag'),
          res.headers.get('Vary'),
        ]
        expect(said(head, head.headers.get('Content-Length'))).toEqual(said(got, length))
        expect(await head.text()).toBe('')
      }
    })
  }
})
