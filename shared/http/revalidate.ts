import type { Context } from 'hono'
import type { AppEnv } from './app-env.ts'

/**
 * Drops every cached page tagged `tag`, in this process at once and in every process sharing
 * the database within a moment. Call it from an action or an API after a change.
 * @example await revalidateTag(c, `product:${product.id}`)
 */
export function revalidateTag(c: Context<AppEnv>, tag: string): Promise<void> {
  return c.var.cache.revalidateTag(tag)
}

/** Drops every cached page rendered for `path` (all its query variants), everywhere. */
export function revalidatePath(c: Context<AppEnv>, path: string): Promise<void> {
  return c.var.cache.revalidatePath(path)
}

/**
 * Applies here, before answering, the invalidations a service recorded in its transaction
 * (`recordInvalidations` from `#shared/cache`), so this request's next page shows its own write;
 * other processes apply them at their next poll. Call it after the transaction, even if it failed.
 * @example const placed = await placeOrder(db, input).finally(() => syncPageCache(c))
 */
export function syncPageCache(c: Context<AppEnv>): Promise<void> {
  return c.var.cache.sync()
}
