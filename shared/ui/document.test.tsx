import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { Document } from './document.tsx'

const assets = { entry: '/entry.js', inlineCss: '', css: [], preload: [] }
const headOf = (head: Parameters<typeof Document>[0]['head']) =>
  renderToString(
    <Document head={head} assets={assets}>
      {null}
    </Document>,
  )

describe("a page's link preview", () => {
  it('lets a tag the page sets itself win, once: Open Graph and the Twitter card alike', () => {
    const html = headOf({
      title: 'A page',
      image: '/a.png',
      meta: [
        { name: 'twitter:card', content: 'summary' },
        { property: 'og:title', content: 'Its own title' },
      ],
    })
    expect(html.match(/name="twitter:card"/g)).toHaveLength(1)
    expect(html).toContain('<meta name="twitter:card" content="summary"/>')
    expect(html.match(/property="og:title"/g)).toHaveLength(1)
  })
})
