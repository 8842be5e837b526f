/**
 * Maps a loaded page module back to its file, e.g. `domains/home/pages/home.page.tsx`: the id the
 * client uses to load that page's chunk and the key of Vite's manifest. A route names its page as
 * `() => import('./pages/x.page.tsx')`; the same file reached through the glob is the same module
 * instance, so identity tells which file it is.
 */
export async function pageIdRegistry(pages: Record<string, () => Promise<unknown>>): Promise<(module: unknown) => string> {
  const ids = new Map<unknown, string>()
  await Promise.all(Object.entries(pages).map(async ([path, load]) => ids.set(await load(), path.replace(/^\//, ''))))
  return (module) => {
    const id = ids.get(module)
    if (!id) throw new Error("A route page must be a default-exported component in a domain's pages/*.page.tsx file.")
    return id
  }
}
