import { createHash } from 'node:crypto'
import type { PageAssets } from '#shared/ui'

/** The part of Vite's `.vite/manifest.json` the renderer reads. */
export interface ManifestChunk {
  file: string
  imports?: string[]
  css?: string[]
  /** A chunk loaded by `import()`: a page. */
  isDynamicEntry?: boolean
}
export type ViteManifest = Record<string, ManifestChunk>

export const CLIENT_ENTRY = 'entry-client.tsx'

/**
 * A page's assets by its page id, and the CSP `style-src` sources (`'sha256-…'`) of every
 * stylesheet a page may carry inline: the same for every response, so cached pages keep their bytes.
 */
export type AssetsFor = ((pageId: string) => PageAssets) & { readonly styleSources: string }

/**
 * Stylesheets up to this many bytes in all (before compression) go inside the page; the rest stay
 * linked files. Ours is ~5 KB (1.6 KB gzipped): one round trip less before the first paint costs
 * less than sending it again with each page (docs/decisions/018).
 */
export const INLINE_CSS_MAX_BYTES = 16 * 1024

export interface ManifestAssetsOptions {
  /** A file of the client build by its manifest path (`assets/x.css`): its CSS is inlined. Without it, every stylesheet is linked. */
  readFile?: (file: string) => string | undefined
  base?: string
}

/**
 * Assets of a page from Vite's client manifest: the entry and the page's own chunk, the chunks
 * they import (modulepreload, so the browser fetches them in parallel, not in a waterfall), and
 * all their CSS, inline while it fits `INLINE_CSS_MAX_BYTES`, linked beyond. Computed once per page.
 */
export function manifestAssets(manifest: ViteManifest, { readFile, base = '/' }: ManifestAssetsOptions = {}): AssetsFor {
  const entry = manifest[CLIENT_ENTRY]
  if (!entry) throw new Error(`The client manifest has no ${CLIENT_ENTRY}: was the client built?`)
  const inlinable = inlinableCss(manifest, readFile)
  const cache = new Map<string, PageAssets>()
  const assetsFor = (pageId: string) => {
    let assets = cache.get(pageId)
    if (!assets) {
      const chunks = closure(manifest, [CLIENT_ENTRY, pageId])
      const css = unique(chunks.flatMap((chunk) => chunk.css ?? []))
      let inlineBytes = 0
      const inline = css.filter((file) => {
        const text = inlinable.get(file)
        if (text === undefined || inlineBytes + Buffer.byteLength(text) > INLINE_CSS_MAX_BYTES) return false
        inlineBytes += Buffer.byteLength(text)
        return true
      })
      assets = {
        entry: base + entry.file,
        inlineCss: inline.map((file) => inlinable.get(file)!).join('\n'),
        css: css.filter((file) => !inline.includes(file)).map((file) => base + file),
        preload: unique(chunks.map((chunk) => chunk.file)).map((file) => base + file),
      }
      cache.set(pageId, assets)
    }
    return assets
  }
  // Every page's inline text, as the CSP will see it (a page joins its files into one <style>).
  const pageIds = Object.keys(manifest).filter((key) => manifest[key]!.isDynamicEntry)
  const styleSources = unique([CLIENT_ENTRY, ...pageIds].map((pageId) => assetsFor(pageId).inlineCss).filter(Boolean)).map(styleHashSource)
  return Object.assign(assetsFor, { styleSources: styleSources.join(' ') })
}

/** In dev, Vite serves sources: the entry is a module of the dev plugin, CSS comes with the JS. */
export function devAssets(entry: string, css: string[]): AssetsFor {
  const assets = { entry, inlineCss: '', css, preload: [] }
  return Object.assign(() => assets, { styleSources: '' })
}

/** The CSP source allowing exactly this inline `<style>` text. */
export const styleHashSource = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/** The CSS files that can go inside a `<style>`: read, and none that could close it early. */
function inlinableCss(manifest: ViteManifest, readFile: ManifestAssetsOptions['readFile']): Map<string, string> {
  const texts = new Map<string, string>()
  if (!readFile) return texts
  for (const file of unique(Object.values(manifest).flatMap((chunk) => chunk.css ?? []))) {
    const text = readFile(file)?.trim()
    if (text && !/<\/style/i.test(text)) texts.set(file, text)
  }
  return texts
}

function closure(manifest: ViteManifest, keys: string[]): ManifestChunk[] {
  const seen = new Set<string>()
  const visit = (key: string): ManifestChunk[] => {
    const chunk = manifest[key]
    if (!chunk || seen.has(key)) return []
    seen.add(key)
    return [chunk, ...(chunk.imports ?? []).flatMap(visit)]
  }
  return keys.flatMap(visit)
}

const unique = <T>(items: T[]) => [...new Set(items)]
