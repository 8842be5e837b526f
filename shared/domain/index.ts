export {
  defineDomain,
  type BadgeCounter,
  type Domain,
  type DomainCommand,
  type DomainContext,
  type DomainDefinition,
  type MigrationModule,
  type SitemapSource,
} from './define-domain.ts'
export { inDependencyOrder } from './dependency-order.ts'
export { oneOwnerPerName, type NamedParts } from './one-owner-per-name.ts'
export { domainOf, importDomain, refuseStrayFiles, refuseTsxEntries } from './domain-module.ts'
export { refuseUnfilledSlots } from './slot-files.ts'
export { isComponent } from './is-component.ts'
export { closestName } from './closest-name.ts'
export {
  definePage,
  type PageDefinition,
  type PageRoute,
  type PageProps,
  type PageModule,
  type PageCacheRule,
  type LoaderContext,
  type PageQuery,
  type PathParams,
} from './page.ts'
export { invalid, ActionInvalid, type PageAction } from './action.ts'
export { UsageError } from './usage-error.ts'
export { DomainMistake, isDomainMistake } from './domain-mistake.ts'
export { readFlags, wholeNumberFlag } from './command-flags.ts'
export { readLine } from './read-line.server.ts'
export { pathId, readPathId } from './path-id.ts'
export { NOT_A_PAGE, readListingQuery } from './listing-query.ts'
