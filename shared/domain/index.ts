export { defineDomain, type Domain, type DomainCommand, type DomainContext, type DomainDefinition, type MigrationModule } from './define-domain.ts'
export { definePage, type PageDefinition, type PageRoute, type PageProps, type PageModule, type PageCacheRule, type LoaderContext, type PageQuery } from './page.ts'
export { defineAction, invalid, ActionInvalid, type PageAction } from './action.ts'
export { UsageError } from './usage-error.ts'
