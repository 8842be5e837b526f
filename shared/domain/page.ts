import type { Context, MiddlewareHandler } from 'hono'
import type { ParamKeys } from 'hono/types'
import type { ComponentType } from 'react'
import type { z } from 'zod'
import type { Db } from '#shared/db'
import type { AppEnv } from '#shared/http'
import type { Head } from '#shared/ui'
import type { PageAction } from './action.ts'

/** What a page component receives: its loader's data and the route's params. */
export interface PageProps<Data> {
  data: Data
  params: Record<string, string>
}

/**
 * The params of a Hono path pattern, as Hono reads them: `/products/:slug` gives `{ slug: string }`,
 * `/files/:name{.+\\.png}` `{ name: string }`, `/posts/:id?` `{ id?: string }`, a path without any `{}`.
 * A path that is only known as `string` gives `Record<string, string>`.
 */
export type PathParams<Path extends string> = string extends Path
  ? Record<string, string>
  : { [Name in ParamKeys<Path> as Name extends `${string}?` ? never : Name]: string } & {
      [Name in ParamKeys<Path> as Name extends `${infer Optional}?` ? Optional : never]?: string
    }

/** What a loader receives. It runs on the server only. */
export interface LoaderContext<Query extends string = string, Params = Record<string, string>> {
  /** The route's params, typed from its path: `params.slug` on `/products/:slug`. */
  params: Params
  /** The query parameters: on a cached page, only those its cache rule declares (`cache.query`). */
  query: PageQuery<Query>
  /** The request as sent: read the query from `query`, which a cached page's key agrees with. */
  request: Request
  db: Db
  c: Context<AppEnv>
}

/**
 * `URLSearchParams` read by the names a page declares: on a cached page, reading a parameter
 * its cache rule does not list is a type error (it would always be missing).
 */
export interface PageQuery<Name extends string = string> extends Omit<URLSearchParams, 'get' | 'getAll' | 'has'> {
  get(name: Name): string | null
  getAll(name: Name): string[]
  has(name: Name, value?: string): boolean
}

/**
 * A page file: the page as default export and, optionally, what to show instead when its loader
 * or render fails (`ErrorFallback`) or its loader calls `notFound()` (`NotFound`).
 */
export interface PageModule<Data> {
  default: ComponentType<PageProps<Data>>
  ErrorFallback?: ComponentType<{ error: Error }>
  NotFound?: ComponentType<{ message: string }>
}

/**
 * Caches a page's HTML for visitors without a session (the ISR equivalent). Fresh for `maxAge`
 * seconds, then served stale for `staleWhileRevalidate` more while one regeneration runs.
 * `revalidateTag(tag)` drops it at once, on every process.
 */
export interface PageCacheRule<Data, Query extends string = string, Params = Record<string, string>> {
  maxAge: number
  staleWhileRevalidate?: number
  /**
   * The query parameters the page reads, e.g. `['q', 'page']`; `[]` when it reads none. The
   * cache key keeps only these, sorted by name (`?b=1&a=2` and `?a=2&b=1` share an entry), and
   * the loader sees only these: any other (`?utm_source=…`) neither makes an entry nor changes
   * the page. A parameter sent twice keeps both values, in their order; an empty one (`?preview`)
   * counts as sent.
   */
  query: readonly Query[]
  tags?: string[] | ((data: Data, params: Params) => string[])
}

/**
 * A page as data. `load` runs on the server; its return type is the page's `data` prop. A value
 * that is a Promise at the top level of the data is *deferred*: the shell streams first and the
 * page reads it with `use()` inside `<Suspense>`. All other data must be JSON-serialisable.
 */
export interface PageDefinition<Data, Query extends string = string, Path extends string = string, Input extends z.ZodType = z.ZodType> {
  /** A Hono path pattern, e.g. `/products/:slug`: the loader's `params` are typed from it. */
  path: Path
  /** The page component, lazily: `() => import('./pages/product.page.tsx')`. Must live in a `pages/*.page.tsx` file. */
  page: () => Promise<PageModule<Data>>
  load?: (ctx: LoaderContext<Query, PathParams<Path>>) => Data | Promise<Data>
  head?: (data: Data) => Head
  /** What the page's `<Form>` posts to: `{ input, run }`, see `PageAction`. */
  action?: PageAction<PathParams<Path>, Input>
  cache?: PageCacheRule<Data, Query, PathParams<Path>>
  /** Middleware run before the page and its action, e.g. a guard that needs no user: `use: [adminOnly()]`. */
  use?: MiddlewareHandler<AppEnv>[]
}

/** A page definition with its data type erased, as the platform stores it. */
export interface PageRoute {
  path: string
  page: () => Promise<PageModule<unknown>>
  load?: (ctx: LoaderContext) => unknown
  head?: (data: unknown) => Head
  action?: PageAction
  cache?: PageCacheRule<unknown>
  use?: MiddlewareHandler<AppEnv>[]
}

/**
 * Declares a page. TypeScript checks the loader's return type against the page's props here,
 * once; the platform then handles every page alike.
 * @example
 * definePage({
 *   path: '/products/:slug',
 *   page: () => import('./pages/product.page.tsx'),
 *   load: ({ params, db }) => findProduct(db, params.slug),
 *   head: (product) => ({ title: product.name }),
 * })
 */
export function definePage<Data = undefined, Query extends string = string, const Path extends string = string, Input extends z.ZodType = z.ZodType>(
  definition: PageDefinition<Data, Query, Path, Input>,
): PageRoute {
  return definition as unknown as PageRoute
}
