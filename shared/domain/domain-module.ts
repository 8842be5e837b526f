import type { Domain } from './define-domain.ts'

/**
 * The domain a folder's `index.ts` exports, or an error naming the file: a missing default export
 * failed later as a TypeError deep in the start-up, naming nothing.
 * @example domainOf('/domains/reviews/index.ts', await import('./domains/reviews/index.ts'))
 */
export function domainOf(file: string, module: { default?: Domain | undefined }): Domain {
  const domain = module.default
  if (!domain || typeof domain.name !== 'string') throw new Error(`${file.replace(/^\//, '')} must \`export default defineDomain({ name, … })\``)
  return domain
}

/** Folders whose entry is `index.tsx`: never loaded (domains are found by `index.ts`), so named at the start. */
export function refuseTsxEntries(files: string[]): void {
  if (files.length > 0) throw new Error(`${files.map((file) => file.replace(/^\//, '')).join(', ')}: a domain's entry is index.ts (rename it)`)
}
