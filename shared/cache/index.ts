export type { CachedPage, CachePolicy, CacheState, RenderPage, ResolvedPage } from './cached-page.ts'
export { PageCache, type PageCacheOptions } from './page-cache.server.ts'
export { createInvalidationLog, cacheMigrations, type InvalidationLog, type InvalidationLogOptions } from './invalidation-log.server.ts'
export type { CacheInvalidationsTable } from './tables.server.ts'
