import { describe, expect, it } from 'vitest'
import { viteServes } from './vite-serves.ts'

describe('viteServes', () => {
  it("hands Vite the browser's modules", () => {
    for (const target of [
      '/@vite/client',
      '/@tessera/dev-entry.js',
      '/@fs/work/main/node_modules/react/index.js',
      '/node_modules/.vite/deps/react.js?v=1234',
      '/entry-client.tsx',
      '/shared/ui/styles.css?direct',
      '/domains/products/pages/list.page.tsx?t=1',
      '/tests/fixtures/domains/demo/pages/counter.page.tsx',
    ])
      expect(viteServes(target, undefined), target).toBe(true)
    expect(viteServes('/', 'text/x-vite-ping')).toBe(true)
  })

  it('keeps from Vite what lies outside them, server code, and every way out of a folder', () => {
    for (const target of [
      '/',
      '/products',
      '/api/products',
      '/package.json',
      '/server.ts',
      '/vite.config.ts',
      '/tsconfig.json',
      '/__open-in-editor?file=server.ts',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/%2E%2E%2Fpackage.json',
      '/shared/../package.json',
      '/shared/%2e%2e/package.json',
      '/shared/..%2fpackage.json',
      '/shared/..%5cpackage.json',
      '/shared/./config/index.ts',
      '/domains/auth/api.server.ts',
      '/domains/auth/sessions.server.ts?import',
      '/shared/db/open.server.tsx',
    ])
      expect(viteServes(target, undefined), target).toBe(false)
  })
})
