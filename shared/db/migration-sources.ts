import type { MigrationSet } from './migrator.server.ts'

/**
 * The set, each migration given its file's text from `files` (path → text, as the entry's
 * `import.meta.glob(…, { query: '?raw' })` has them): `reviews/001-create-reviews` is
 * `…/domains/reviews/migrations/001-create-reviews.server.ts`, and `platform/…` a file under
 * `/shared/*\/migrations/`. One without a file keeps none and is not checked.
 * @example migrationSources(migrationsOf(domains), { '/domains/reviews/migrations/001-create-reviews.server.ts': '…' })
 */
export function migrationSources(migrations: MigrationSet, files: Record<string, string>): MigrationSet {
  const paths = Object.keys(files)
  return Object.fromEntries(
    Object.entries(migrations).map(([name, migration]) => {
      const [domain, base] = name.split('/') as [string, string]
      const ending = `/migrations/${base}.server.ts`
      const folder = domain === 'platform' ? /^\/shared\/[^/]+$/ : new RegExp(`(^|/)domains/${domain}$`)
      const file = paths.find((path) => path.endsWith(ending) && folder.test(path.slice(0, -ending.length)))
      return [name, file === undefined ? migration : { ...migration, source: { file: file.replace(/^\//, ''), text: files[file]! } }]
    }),
  )
}
