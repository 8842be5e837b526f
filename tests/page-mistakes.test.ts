import { describe, expect, it } from 'vitest'
import { defineDomain, definePage, isDomainMistake, type Domain } from '#shared/domain'
import { strayPageFiles } from '#shared/ssr'
import { createTestApp } from './support/test-app.ts'

/**
 * A route whose page file would fail at its first request (a 500 naming no file) stops the start
 * instead, naming the domain, the route and what to change.
 */
const starting = async (domain: Domain) => {
  const app = await createTestApp({ METRICS: 'off' }, { extraDomains: [domain] })
  await app.close()
}

describe("a route's page file", () => {
  it('is refused when it is not a pages/*.page.tsx file (a typo in its suffix)', async () => {
    const misnamed = definePage({ path: '/feedback', page: () => import('./fixtures/domains/demo/pages/misnamed.pages.tsx') })
    await expect(starting(defineDomain({ name: 'feedback', routes: [misnamed] }))).rejects.toThrow(
      /^feedback's page \/feedback imports "[^"]*misnamed\.pages\.tsx", which is not a page file: a page is domains\/feedback\/pages\/<name>\.page\.tsx/,
    )
  })

  it('is refused when its default export is not a component', async () => {
    const noDefault = definePage({ path: '/feedback', page: () => import('./fixtures/domains/demo/pages/no-default.page.tsx') as never })
    await expect(starting(defineDomain({ name: 'feedback', routes: [noDefault] }))).rejects.toThrow(
      "tests/fixtures/domains/demo/pages/no-default.page.tsx (feedback's page /feedback) must `export default` the page's component",
    )
  })

  it('is refused as a DomainMistake (as is a path another domain has), printed at the start as its message alone', async () => {
    const misnamed = definePage({ path: '/feedback', page: () => import('./fixtures/domains/demo/pages/misnamed.pages.tsx') })
    await expect(starting(defineDomain({ name: 'feedback', routes: [misnamed] }))).rejects.toSatisfy(isDomainMistake)
    await expect(
      starting(
        defineDomain({ name: 'feedback', routes: [definePage({ path: '/products/:id', page: () => import('./fixtures/domains/demo/pages/stamp.page.tsx') })] }),
      ),
    ).rejects.toSatisfy(isDomainMistake)
  })

  it('is refused, named, when it cannot be loaded', async () => {
    const missing = definePage({ path: '/feedback', page: () => Promise.reject(new Error('Cannot find module ./pages/feedback.page.tsx')) })
    await expect(starting(defineDomain({ name: 'feedback', routes: [missing] }))).rejects.toThrow(
      "feedback's page /feedback could not load its page (page()): Cannot find module ./pages/feedback.page.tsx",
    )
  })
})

it("warns of a page file no route shows (a page is not found by its file's name), saying what to add", async () => {
  const lines: string[] = []
  const testApp = await createTestApp({}, { logTo: (line) => lines.push(line) })
  await testApp.close()
  const warnings = lines.map((line) => JSON.parse(line) as { level: string; msg: string }).filter((line) => line.level === 'warn')
  // no-default.page.tsx: a fixture no route uses; every other page has its route.
  expect(warnings.map((line) => line.msg).filter((msg) => msg.includes("is no route's page"))).toEqual([
    "tests/fixtures/domains/demo/pages/no-default.page.tsx is no route's page, so it is never shown: add definePage({ path, page: () => import('./pages/no-default.page.tsx') }) to its domain's routes",
  ])
})

it('warns of a file meant as a page that can never be one (a misspelt suffix or folder), no route importing it, saying what to rename it', async () => {
  const lines: string[] = []
  const testApp = await createTestApp({}, { logTo: (line) => lines.push(line) })
  await testApp.close()
  const warnings = lines.map((line) => JSON.parse(line) as { level: string; msg: string }).filter((line) => line.level === 'warn')
  expect(warnings.map((line) => line.msg).filter((msg) => msg.includes('is no page file'))).toEqual([
    'tests/fixtures/domains/demo/page/about.page.tsx is no page file, so no route can show it: a page is tests/fixtures/domains/demo/pages/<name>.page.tsx (rename it tests/fixtures/domains/demo/pages/about.page.tsx; a component a page uses goes in components/)',
    'tests/fixtures/domains/demo/pages/misnamed.pages.tsx is no page file, so no route can show it: a page is tests/fixtures/domains/demo/pages/<name>.page.tsx (rename it tests/fixtures/domains/demo/pages/misnamed.page.tsx; a component a page uses goes in components/)',
  ])
})

it('names stray page files by what is wrong with them; test files and pages/*.page.tsx are none', () => {
  expect(
    strayPageFiles([
      '/domains/gift-cards/pages/admin/codes.page.tsx',
      '/domains/gift-cards/pages/about.tsx',
      '/domains/gift-cards/pages/about.page.ts',
      '/domains/gift-cards/pages/about.page.tsx',
      '/domains/gift-cards/pages/about.test.tsx',
    ]),
  ).toEqual([
    expect.stringMatching(/^domains\/gift-cards\/pages\/about\.page\.ts is no page file.*rename it domains\/gift-cards\/pages\/about\.page\.tsx;/),
    expect.stringMatching(/^domains\/gift-cards\/pages\/about\.tsx is no page file.*rename it domains\/gift-cards\/pages\/about\.page\.tsx;/),
    expect.stringMatching(/^domains\/gift-cards\/pages\/admin\/codes\.page\.tsx is no page file.*rename it domains\/gift-cards\/pages\/codes\.page\.tsx;/),
  ])
})

describe("a route's loader", () => {
  it('that never settles answers the error page after RENDER_TIMEOUT_MS, logging which route (it held the request open for good)', async () => {
    const lines: string[] = []
    const hanging = definePage({
      path: '/feedback',
      page: () => import('./fixtures/domains/demo/pages/stamp.page.tsx'),
      load: () => new Promise<{ load: number }>(() => {}),
    })
    const feedback = defineDomain({ name: 'feedback', routes: [hanging] })
    const testApp = await createTestApp({ RENDER_TIMEOUT_MS: '50' }, { extraDomains: [feedback], logTo: (line) => lines.push(line) })
    try {
      const res = await testApp.app.request('http://localhost/feedback')
      expect(res.status).toBe(500)
      expect(await res.text()).toContain('Something went wrong')
      expect(lines.join('\n')).toContain('The loader of /feedback did not finish in 50 ms (RENDER_TIMEOUT_MS)')
    } finally {
      await testApp.close()
    }
  })

  it("answers the error page for a loader's data JSON would change (a Date became a string in the browser), naming it in the log", async () => {
    const lines: string[] = []
    const dated = definePage({
      path: '/feedback',
      page: () => import('./fixtures/domains/demo/pages/stamp.page.tsx'),
      load: () => ({ load: 1, when: new Date(0) }),
    })
    const testApp = await createTestApp({}, { extraDomains: [defineDomain({ name: 'feedback', routes: [dated] })], logTo: (line) => lines.push(line) })
    try {
      expect((await testApp.app.request('http://localhost/feedback')).status).toBe(500)
      expect(lines.join('\n')).toContain('The loader of /feedback returned data.when, a Date (send date.getTime() or date.toISOString())')
    } finally {
      await testApp.close()
    }
  })
})
