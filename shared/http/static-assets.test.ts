import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
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
