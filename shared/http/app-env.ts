import type { InvalidationLog } from '#shared/cache'
import type { Config } from '#shared/config'
import type { Db } from '#shared/db'
import type { Logger } from '#shared/log'

/** What every handler and loader finds on the Hono context (`c.var`). */
export interface AppVariables {
  db: Db
  config: Config
  log: Logger
  /** Page cache invalidation: prefer `revalidateTag(c, tag)` / `revalidatePath(c, path)` / `syncPageCache(c)`. */
  cache: Pick<InvalidationLog, 'revalidateTag' | 'revalidatePath' | 'sync'>
}

/** The Hono environment of the app and of every domain API: `new Hono<AppEnv>()`. */
export interface AppEnv {
  Variables: AppVariables
}
