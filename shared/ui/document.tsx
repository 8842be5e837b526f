import type { ReactNode } from 'react'
import { serializeForScript } from '../ssr/serialize.ts'
import type { Head, PageAssets } from './types.ts'

/** Allowed by its hash in the Content-Security-Policy (see security-headers.ts). */
export const NOSCRIPT_STYLE = 'div[hidden][id^="S:"]{display:block}template[id^="B:"]+*{display:none}'

/** The `<style>` holding the page's stylesheets (its attribute below), which the client reads back (hydratePage). */
export const INLINE_CSS_SELECTOR = 'style[data-inline-css]'

export interface DocumentProps {
  head: Head
  assets: PageAssets
  children: ReactNode
}

/**
 * The whole HTML document. Rendered by the server and hydrated as a whole by the client, so
 * both must pass the same props (they travel in the hydration data). Scripts are not part of it:
 * the renderer adds the boot script with the request's CSP nonce, and that script loads the
 * client's modules after the first paint (loadAfterPaint).
 */
export function Document({ head, assets, children }: DocumentProps) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{head.title}</title>
        {head.description && <meta name="description" content={head.description} />}
        {head.meta?.map((meta) => (
          <meta key={meta.name ?? meta.property} name={meta.name} property={meta.property} content={meta.content} />
        ))}
        <LinkPreview head={head} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="manifest" href="/manifest.webmanifest" />
        {/* Without JavaScript React cannot reveal streamed parts: show them, hide their fallbacks. */}
        <noscript>
          <style>{NOSCRIPT_STYLE}</style>
        </noscript>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the build's own stylesheet, allowed by its hash in the CSP */}
        {assets.inlineCss && <style data-inline-css="" dangerouslySetInnerHTML={{ __html: assets.inlineCss }} />}
        {assets.css.map((href) => (
          <link key={href} rel="stylesheet" href={href} />
        ))}
      </head>
      <body>{children}</body>
    </html>
  )
}

/**
 * What search engines and link previews read: the canonical address, a listing's previous and
 * next pages, Open Graph and Twitter card
 * tags (the page's own `meta` win), `noindex`, and schema.org JSON-LD (escaped: a `</script>` in a
 * product's name cannot end the script).
 */
function LinkPreview({ head }: { head: Head }) {
  // The page's own `meta` win: a tag it sets is not added again (an array, not a Set: one or two).
  const og = (property: string, content: string | undefined) =>
    Boolean(content) && !head.meta?.some((meta) => (meta.property ?? meta.name) === property) && <meta property={property} content={content} />
  return (
    <>
      {head.canonical && <link rel="canonical" href={head.canonical} />}
      {head.prev && <link rel="prev" href={head.prev} />}
      {head.next && <link rel="next" href={head.next} />}
      {head.noindex && <meta name="robots" content="noindex" />}
      {og('og:title', head.title)}
      {og('og:description', head.description)}
      {og('og:url', head.canonical)}
      {og('og:type', 'website')}
      {og('og:image', head.image)}
      {!head.meta?.some((meta) => (meta.property ?? meta.name) === 'twitter:card') && (
        <meta name="twitter:card" content={head.image ? 'summary_large_image' : 'summary'} />
      )}
      {head.jsonLd?.map((data, index) => (
        // biome-ignore lint/security/noDangerouslySetInnerHtml lint/suspicious/noArrayIndexKey: serializeForScript escapes '<' (no </script> break-out); the list never reorders
        <script key={index} type="application/ld+json" dangerouslySetInnerHTML={{ __html: serializeForScript(data) }} />
      ))}
    </>
  )
}
