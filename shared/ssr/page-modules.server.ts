import { type Domain, isComponent, type PageRoute } from '#shared/domain'

/**
 * Loads each route's page at the start and names the routes whose page would fail at its first
 * request (a 500 naming no file): one importing a file that is not a `pages/*.page.tsx` (a typo in
 * its suffix, `foo.pages.tsx`: never sent to the browser, so never hydrated), or whose default
 * export is no component (nothing, or a named export only).
 * @example await refuseBrokenPages(domains, await pageIdRegistry(pageModules))
 */
export async function refuseBrokenPages(domains: Domain[], pageIdOf: (module: unknown) => string): Promise<void> {
  const problems: string[] = []
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
      if (!isComponent((module as { default?: unknown }).default)) problems.push(`${id} (${page}) must \`export default\` the page's component`)
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'))
}

/** The file a route's `page: () => import('…')` names, when its source still says (in dev, not in a build). */
function importedFile(route: PageRoute): string | undefined {
  return /import\w*\(\s*["'`]([^"'`]+)["'`]/.exec(String(route.page))?.[1]
}
