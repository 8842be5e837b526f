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

/** The cookie that marks a visitor with a session: their pages are personal, never cached. */
export const SESSION_COOKIE = 'tessera_session'
