import { describe, expect, it } from 'vitest'
import { manifestAssets, type ViteManifest } from './assets.server.ts'

const manifest: ViteManifest = {
  'entry-client.tsx': { file: 'assets/entry.js', imports: ['_react.js'], css: ['assets/entry.css'] },
  '_react.js': { file: 'assets/react.js' },
  '_ui.js': { file: 'assets/ui.js', imports: ['_react.js'], css: ['assets/ui.css'] },
  'domains/shop/pages/cart.page.tsx': { file: 'assets/cart.js', imports: ['_ui.js'], css: ['assets/cart.css'] },
}

describe('manifestAssets', () => {
  it("gives the entry and the page's chunk, what they import, and all their CSS, once each", () => {
    const assets = manifestAssets(manifest)('domains/shop/pages/cart.page.tsx')
    expect(assets).toEqual({
      entry: '/assets/entry.js',
      css: ['/assets/entry.css', '/assets/cart.css', '/assets/ui.css'],
      preload: ['/assets/entry.js', '/assets/react.js', '/assets/cart.js', '/assets/ui.js'],
    })
  })

  it('refuses a manifest without the client entry', () => {
    expect(() => manifestAssets({})).toThrow(/entry-client/)
  })
})
