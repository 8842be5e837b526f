import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { INLINE_CSS_MAX_BYTES, manifestAssets, type ViteManifest } from './assets.server.ts'

const manifest: ViteManifest = {
  'entry-client.tsx': { file: 'assets/entry.js', imports: ['_react.js'], css: ['assets/entry.css'] },
  '_react.js': { file: 'assets/react.js' },
  '_ui.js': { file: 'assets/ui.js', imports: ['_react.js'], css: ['assets/ui.css'] },
  'domains/shop/pages/cart.page.tsx': { file: 'assets/cart.js', imports: ['_ui.js'], css: ['assets/cart.css'], isDynamicEntry: true },
  'domains/shop/pages/home.page.tsx': { file: 'assets/home.js', isDynamicEntry: true },
}
const cartPage = 'domains/shop/pages/cart.page.tsx'
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

describe('manifestAssets', () => {
  it("gives the entry and the page's chunk, what they import, and all their CSS, once each", () => {
    const assets = manifestAssets(manifest)(cartPage)
    expect(assets).toEqual({
      entry: '/assets/entry.js',
      inlineCss: '',
      css: ['/assets/entry.css', '/assets/cart.css', '/assets/ui.css'],
      preload: ['/assets/entry.js', '/assets/react.js', '/assets/cart.js', '/assets/ui.js'],
    })
  })

  it("inlines the CSS it can read, in order, and allows each page's inline text by its hash", () => {
    const files: Record<string, string> = { 'assets/entry.css': 'body{margin:0}\n', 'assets/ui.css': '.ui{color:red}', 'assets/cart.css': '.cart{}' }
    const assetsFor = manifestAssets(manifest, { readFile: (file) => files[file] })
    expect(assetsFor(cartPage)).toMatchObject({ inlineCss: 'body{margin:0}\n.cart{}\n.ui{color:red}', css: [] })
    expect(assetsFor('domains/shop/pages/home.page.tsx')).toMatchObject({ inlineCss: 'body{margin:0}', css: [] })
    expect(assetsFor.styleSources.split(' ').sort()).toEqual([sha256('body{margin:0}'), sha256('body{margin:0}\n.cart{}\n.ui{color:red}')].sort())
  })

  it('links what does not fit the budget or could end the <style> early', () => {
    const files: Record<string, string> = {
      'assets/entry.css': 'a{}',
      'assets/cart.css': `.x{content:"${'x'.repeat(INLINE_CSS_MAX_BYTES)}"}`,
      'assets/ui.css': '.y{content:"</STYLE>"}',
    }
    const assetsFor = manifestAssets(manifest, { readFile: (file) => files[file] })
    expect(assetsFor(cartPage)).toMatchObject({ inlineCss: 'a{}', css: ['/assets/cart.css', '/assets/ui.css'] })
    expect(assetsFor.styleSources).toBe(sha256('a{}'))
  })

  it('refuses a manifest without the client entry', () => {
    expect(() => manifestAssets({})).toThrow(/entry-client/)
  })
})
