import type { PageAssets } from '#shared/ui'

/** The part of Vite's `.vite/manifest.json` the renderer reads. */
export interface ManifestChunk {
  file: string
  imports?: string[]
  css?: string[]
}
export type ViteManifest = Record<string, ManifestChunk>

export const CLIENT_ENTRY = 'entry-client.tsx'

/**
 * Assets of a page from Vite's client manifest: the entry and the page's own chunk, the chunks
 * they import (modulepreload, so the browser fetches them in parallel, not in a waterfall), and
 * all their CSS. Computed once per page.
 */
export function manifestAssets(manifest: ViteManifest, base = '/'): (pageId: string) => PageAssets {
  const entry = manifest[CLIENT_ENTRY]
  if (!entry) throw new Error(`The client manifest has no ${CLIENT_ENTRY}: was the client built?`)
  const cache = new Map<string, PageAssets>()
  return (pageId) => {
    let assets = cache.get(pageId)
    if (!assets) {
      const chunks = closure(manifest, [CLIENT_ENTRY, pageId])
      assets = {
        entry: base + entry.file,
        css: unique(chunks.flatMap((chunk) => chunk.css ?? [])).map((file) => base + file),
        preload: unique(chunks.map((chunk) => chunk.file)).map((file) => base + file),
      }
      cache.set(pageId, assets)
    }
    return assets
  }
}

/** In dev, Vite serves sources: the entry is a module of the dev plugin, CSS comes with the JS. */
export function devAssets(entry: string, css: string[]): () => PageAssets {
  const assets = { entry, css, preload: [] }
  return () => assets
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

const unique = <T,>(items: T[]) => [...new Set(items)]
