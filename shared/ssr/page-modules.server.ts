import { type Domain, DomainMistake, isComponent, type PageRoute } from '#shared/domain'

/**
 * Loads each route's page at the start and names the routes whose page would fail at its first
 * request (a 500 naming no file): one importing a file that is not a `pages/*.page.tsx` (a typo in
 * its suffix, `foo.pages.tsx`: never sent to the browser, so never hydrated), or whose default
 * export is no component (nothing, or a named export only). Resolves to the page files the routes
 * use, e.g. `domains/products/pages/home.page.tsx`.
 * @example const used = await refuseBrokenPages(domains, await pageIdRegistry(pageModules))
 */
export async function refuseBrokenPages(domains: Domain[], pageIdOf: (module: unknown) => string): Promise<Set<string>> {
  const problems: string[] = []
  const used = new Set<string>()
  for (const domain of domains) {
    for (const route of domain.routes) {
      const page = `${domain.name}'s page ${route.path}`
      let module: unknown
      try {
        module = await route.page()
      } catch (err) {
        problems.push(`${page} could not load its page (${importedFile(route) ?? 'page()'}): ${err instanceof Error ? err.message : String(err)}`)
        continue
      }
      let id: string
      try {
        id = pageIdOf(module)
      } catch {
        const file = importedFile(route)
        problems.push(
          `${page} imports ${file ? `"${file}", ` : ''}which is not a page file: a page is domains/${domain.name}/pages/<name>.page.tsx (check the folder and the .page.tsx suffix)`,
        )
        continue
      }
      used.add(id)
      if (!isComponent((module as { default?: unknown }).default)) problems.push(`${id} (${page}) must \`export default\` the page's component`)
    }
  }
  if (problems.length > 0) throw new DomainMistake(problems.join('\n'))
  return used
}

/**
 * The page files no route shows, each with what to add: pages are not found by their file name
 * (`pages/about.page.tsx` is no `/about`), so such a file was never served, without a word.
 * @example unroutedPages(Object.keys(pageModules), used) // ['domains/x/pages/about.page.tsx is no route's page: …']
 */
export function unroutedPages(files: string[], used: Set<string>): string[] {
  return files
    .map((file) => file.replace(/^\//, ''))
    .filter((file) => !used.has(file))
    .map((file) => {
      const name = file.split('/').pop()!
      return `${file} is no route's page, so it is never shown: add definePage({ path, page: () => import('./pages/${name}') }) to its domain's routes`
    })
}

/**
 * Files that look meant as pages but can never be one, each with what to change: a file in a
 * `pages/` folder not named `<name>.page.tsx` (`about.pages.tsx`, `about.tsx`), and a `.page.`
 * file elsewhere (a misspelt folder, `page/about.page.tsx`, or one below `pages/`). Only
 * `domains/<name>/pages/*.page.tsx` files are built as pages, so these were passed over without a
 * word (a route importing one is refused: refuseBrokenPages).
 * @example strayPageFiles(['/domains/x/page/about.page.tsx']) // ['domains/x/page/about.page.tsx is no page file: …']
 */
export function strayPageFiles(files: string[]): string[] {
  return [...files].sort().flatMap((path) => {
    const file = path.replace(/^\//, '')
    const found = /^(.*domains\/[^/]+)\/(.+)$/.exec(file)
    if (!found) return []
    const [, domain, inside] = found as unknown as [string, string, string]
    if (/^pages\/[^/]+\.page\.tsx$/.test(inside) || /\.test\.[jt]sx?$/.test(inside)) return []
    const name = inside.split('/').pop()!
    const page = `${name.replace(/\.[^.]*$/, '').replace(/\.pages?$/, '')}.page.tsx`
    return [
      `${file} is no page file, so no route can show it: a page is ${domain}/pages/<name>.page.tsx (rename it ${domain}/pages/${page}; a component a page uses goes in components/)`,
    ]
  })
}

/** The file a route's `page: () => import('…')` names, when its source still says (in dev, not in a build). */
function importedFile(route: PageRoute): string | undefined {
  return /import\w*\(\s*["'`]([^"'`]+)["'`]/.exec(String(route.page))?.[1]
}
