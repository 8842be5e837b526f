import { DEFINED, type Domain } from './define-domain.ts'
import { DomainMistake, isDomainMistake } from './domain-mistake.ts'

/**
 * The domain a folder's `index.ts` exports, or an error naming the file: a missing default export
 * (or a plain object, not defineDomain's) failed later as a TypeError deep in the start-up, naming
 * nothing. Its name is its folder's: two folders naming one domain ran one's migrations only,
 * and `/api/<name>` is where a newcomer looks for `domains/<name>`.
 * @example domainOf('/domains/reviews/index.ts', await import('./domains/reviews/index.ts'))
 */
export function domainOf(file: string, module: { default?: Domain | undefined }): Domain {
  const domain = module.default
  const where = file.replace(/^\//, '')
  if (domain?.[DEFINED] !== true) throw new DomainMistake(`${where} must \`export default defineDomain({ name, … })\``)
  const folder = /(?:^|\/)domains\/([^/]+)\/index\.ts$/.exec(file)?.[1]
  if (folder !== undefined && domain.name !== folder)
    throw new DomainMistake(`${where} names its domain "${domain.name}": a domain's name is its folder's, "${folder}"`)
  return domain
}

/**
 * A domain's `index.ts`, imported: one that throws (or a file it imports does) stops the start
 * naming it, and where in the domain's files it threw, rather than as a bare error from the loader.
 * @example const module = await importDomain('/domains/reviews/index.ts', () => import('./domains/reviews/index.ts'))
 */
export async function importDomain<Module>(file: string, load: () => Promise<Module>): Promise<Module> {
  try {
    return await load()
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    // The first frame in a domain's files (in dev the sources' own lines; a build's bundle has none).
    const at = err instanceof Error ? /((?:tests\/fixtures\/)?domains\/[^\s():]+:\d+:\d+)/.exec(err.stack ?? '')?.[1] : undefined
    const Kind = isDomainMistake(err) ? DomainMistake : Error
    throw new Kind(`${file.replace(/^\//, '')} could not be loaded: ${reason}${at && !reason.includes(at) ? ` (at ${at})` : ''}`, { cause: err })
  }
}

/** Folders whose entry is `index.tsx`: never loaded (domains are found by `index.ts`), so named at the start. */
export function refuseTsxEntries(files: string[]): void {
  if (files.length > 0) throw new DomainMistake(`${files.map((file) => file.replace(/^\//, '')).join(', ')}: a domain's entry is index.ts (rename it)`)
}

/**
 * Files the start would pass over without a word, named instead: a page, slot or migration in a
 * folder with no `index.ts` (its page shipped, its slot rendered, no domain of its own), a
 * migration not named `*.server.ts`, and any file in a folder below `migrations/` (neither ever
 * run: the domain's glob takes `migrations/*.server.ts` only). Refused, not warned of: a migration
 * that never runs is a table that is not there, found later as a query's error far from its cause.
 * @example refuseStrayFiles(['/domains/ratings/pages/top.page.tsx'], ['/domains/products/index.ts'])
 */
export function refuseStrayFiles(files: string[], entries: string[]): void {
  const folders = new Set(entries.map((entry) => entry.replace(/\/index\.ts$/, '')))
  const stray = files.flatMap((file) => {
    const where = file.replace(/^\//, '')
    const folder = /^(.*\/domains\/[^/]+)\//.exec(file)?.[1]
    if (folder !== undefined && !folders.has(folder)) return [`${where}: its folder has no index.ts (defineDomain), so no domain`]
    const below = /^(.*\/migrations)\/.+\/([^/]+)$/.exec(where)
    if (below) {
      return [`${where}: a migration is a file directly in ${below[1]}/ (one in a folder below it would never run: move it to ${below[1]}/${below[2]})`]
    }
    if (/\/migrations\/[^/]+$/.test(file) && !file.endsWith('.server.ts')) return [`${where}: a migration is a *.server.ts file (this one would never run)`]
    return []
  })
  if (stray.length > 0) throw new DomainMistake(stray.join('\n'))
}
