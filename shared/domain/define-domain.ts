import type { Context, Hono, Schema } from 'hono'
import type { Kysely, Migration } from 'kysely'
import type { Config } from '#shared/config'
import type { Db, MigrationSet } from '#shared/db'
import type { JobHandlers } from '#shared/jobs'
import type { Logger } from '#shared/log'
import type { AppEnv } from '#shared/http'
import type { NavItem, Slots, Viewer } from '#shared/ui'
import type { PageRoute } from './page.ts'
import { DomainMistake } from './domain-mistake.ts'

/** A migration file of a domain: `migrations/NNN-what-it-does.server.ts` exporting `up` (and `down`). */
export interface MigrationModule {
  up(db: Kysely<unknown>): Promise<void>
  down?(db: Kysely<unknown>): Promise<void>
}

export interface DomainDefinition {
  /** kebab-case; the API is mounted at `/api/<name>`. */
  name: string
  api?: Hono<AppEnv, Schema, string>
  /** More APIs under other names, e.g. `{ cart: cartApi }` at `/api/cart`. Names are unique app-wide. */
  apis?: Record<string, Hono<AppEnv, Schema, string>>
  /** What each of its APIs is for, by mount name: the OpenAPI document's tag descriptions. */
  apiDescriptions?: Record<string, string>
  routes?: PageRoute[]
  /** `import.meta.glob('./migrations/*.server.ts', { eager: true })`: keyed by file, run in name order. */
  migrations?: Record<string, MigrationModule>
  /**
   * The domains whose tables this one's migrations reference (foreign keys): their migrations
   * run first. PostgreSQL refuses a reference to a table not made yet.
   */
  dependsOn?: string[]
  nav?: NavItem[]
  /**
   * The slots its pages offer (`<Slot name>`), each declared with its props in `#shared/ui`'s
   * `Slots`: other domains' `slots/<name>.slot.tsx` files fill them, and a file filling a slot no
   * domain lists here (a misspelt name) stops the start.
   */
  slots?: (keyof Slots)[]
  /** Who is signed in, for the layout. One domain provides it: auth. */
  viewer?: (c: Context<AppEnv>) => Promise<Viewer | null>
  /** Who is signed in, by id and role, for upstream services (remote domains). One domain provides it: auth. */
  identity?: (c: Context<AppEnv>) => Promise<{ id: string; role: string } | null>
  /**
   * The counts its nav items' badges show, by badge name: `{ cart: cartItemCount }` fills
   * `{ href: '/cart', badge: { name: 'cart', … } }`. Counted per request, only for a request that
   * carries a personal cookie (see `personalCookies`) and only for the badges its viewer sees.
   */
  badges?: Record<string, BadgeCounter>
  /**
   * Cookies that make a visitor's pages their own, like the session's: a request carrying one
   * is never served from nor stored in the page cache, and its header gets its badges. Name the
   * cookie a badge reads (a visitor's cart), or every visitor would share one count. A name
   * ending in `*` stands for every cookie whose name starts with the rest (`tessera_cart_*`).
   */
  personalCookies?: string[]
  /** Runs when the app starts (after migrations); may return a function that stops what it began. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an async start that returns nothing is Promise<void>
  start?: (ctx: DomainContext) => Promise<(() => void) | void>
  /** Commands for operators: `node dist/server.js <name> [args]`. */
  commands?: Record<string, DomainCommand>
  /** Path prefixes search engines should not crawl (robots.txt), e.g. `['/cart', '/admin']`. */
  noCrawl?: string[]
  /** The pages search engines should know, for `/sitemap.xml`: see `SitemapSource`. */
  sitemap?: SitemapSource[]
  /**
   * Background job handlers by job type, run by the platform's worker (see `enqueueJob`); made once
   * with the domain's context. Each type is declared with its payload in `#shared/jobs`' `Jobs`.
   */
  jobs?: (ctx: DomainContext) => JobHandlers
}

/**
 * Pages for the sitemap, in parts of at most 10,000 URLs (SITEMAP_PART_SIZE) that each stream from a
 * range of keys (never a whole catalogue in memory, never an OFFSET): part n holds keys (n-1)×10,000+1 … n×10,000.
 * @example { name: 'products', lastKey: (db) => maxProductId(db), urls: (db, after, upTo) => productPaths(db, after, upTo) }
 */
export interface SitemapSource {
  /** Names its parts: `/sitemap/<name>-<n>.xml`. kebab-case. */
  name: string
  /** The highest key there is (a table's largest id; 1 for a source of one small part). */
  lastKey(db: Db): Promise<number>
  /**
   * The pages with keys in (after, upTo], in key order: a path and when it last changed. Read them
   * in pages of keys (a query per thousand), not through one open cursor: the client's pace sets
   * the reads, and a slow client must not hold the database's connection meanwhile.
   */
  urls(db: Db, after: number, upTo: number): AsyncIterable<{ path: string; lastModified?: Date }>
  /**
   * Whether (after, upTo] holds a page: a part without one is neither listed nor served
   * (sitemaps.org refuses an empty `<urlset>`). Without it, the first of `urls()` is read; give it
   * when that costs more than a look (products: a limit-1 read, not a page of a thousand rows).
   */
  hasUrls?(db: Db, after: number, upTo: number): Promise<boolean>
  /**
   * The page-cache tags whose invalidation changes its URLs (`revalidateTag`): its parts and the
   * index are cached and dropped with the pages. None: they are cached until they expire (an hour).
   */
  tags?: readonly string[]
}

/** A badge's count for this request; 0 shows none. Keep it cheap: it runs on every personal page view. */
export type BadgeCounter = (c: Context<AppEnv>) => Promise<number>

/** What a domain's start-up work and commands receive. */
export interface DomainContext {
  db: Db
  config: Config
  log: Logger
}

/**
 * An operator's command (`node dist/server.js <name> …`). `Input` is what `read` takes from the
 * operator (stdin, a prompt) before the database is opened, handed to `run`.
 */
export interface DomainCommand<Input = unknown> {
  /** One line for `--help`, e.g. `<email>  create or update an admin (password on stdin)`. */
  usage: string
  /** False for a command that must see the database as it is (a backup before an upgrade). */
  migrate?: boolean
  /** True for a command that works on data already there (a backup, an admin): a missing SQLite file is an error naming DATABASE_PATH (exit 1, before `read`), not a new empty database. */
  existingDatabase?: boolean
  /** Checks the arguments before the database is opened: throws a `UsageError` for bad ones, so nothing is written. */
  check?(args: string[]): void
  /** Reads and checks what the operator types (a password) before the database is opened: a `UsageError` writes nothing. */
  read?(args: string[], io: { stdin: NodeJS.ReadableStream }): Promise<Input>
  run(args: string[], ctx: DomainContext & { stdin: NodeJS.ReadableStream; input: Input }): Promise<void>
}

export interface Domain {
  /** Made by defineDomain (domainOf refuses a look-alike object). */
  readonly [DEFINED]: true
  name: string
  /** Every API of the domain by mount name: its own name first. */
  apis: Record<string, Hono<AppEnv, Schema, string>>
  apiDescriptions: Record<string, string>
  routes: PageRoute[]
  migrations: MigrationSet
  dependsOn: string[]
  nav: NavItem[]
  slots: string[]
  viewer?: (c: Context<AppEnv>) => Promise<Viewer | null>
  identity?: (c: Context<AppEnv>) => Promise<{ id: string; role: string } | null>
  badges: Record<string, BadgeCounter>
  personalCookies: string[]
  // biome-ignore lint/suspicious/noConfusingVoidType: as DomainDefinition's start
  start?: (ctx: DomainContext) => Promise<(() => void) | void>
  commands: Record<string, DomainCommand>
  noCrawl: string[]
  sitemap: SitemapSource[]
  jobs?: (ctx: DomainContext) => JobHandlers
}

const kebabCase = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/
/** Paths and names the platform's own: `platform` prefixes its migrations (`platform/002-create-jobs`). */
const reserved = new Set(['api', 'assets', 'healthz', 'readyz', 'metrics', 'shared', 'static', 'platform'])

/** Every field a definition may have: a misspelt one (`route:`) stops the start instead of serving nothing. */
const FIELDS = {
  name: true,
  api: true,
  apis: true,
  apiDescriptions: true,
  routes: true,
  migrations: true,
  dependsOn: true,
  nav: true,
  slots: true,
  viewer: true,
  identity: true,
  badges: true,
  personalCookies: true,
  start: true,
  commands: true,
  noCrawl: true,
  sitemap: true,
  jobs: true,
} satisfies Record<keyof DomainDefinition, true>

/** What defineDomain made, however many copies of this module a dev server loads. */
export const DEFINED = Symbol.for('tessera.domain')

/**
 * Registers a domain: the default export of `domains/<name>/index.ts`. The server finds it by its
 * folder and mounts its API, pages, migrations and navigation; nothing else is edited.
 * @example export default defineDomain({ name: 'reviews', api, routes, migrations, nav })
 */
export function defineDomain(definition: DomainDefinition): Domain {
  const { name } = definition
  if (!kebabCase.test(name)) throw new DomainMistake(`Domain name "${name}" must be kebab-case, e.g. "gift-cards".`)
  if (reserved.has(name)) throw new DomainMistake(`Domain name "${name}" is reserved.`)
  const unknown = Object.keys(definition).filter((field) => !Object.hasOwn(FIELDS, field))
  if (unknown.length > 0)
    throw new DomainMistake(`Domain "${name}": no field ${unknown.map((field) => `"${field}"`).join(', ')} (a domain has ${Object.keys(FIELDS).join(', ')}).`)
  // Mounted at /api/<name>, listed as /sitemap/<name>-<n>.xml: one path segment each, or another's URLs.
  for (const api of Object.keys(definition.apis ?? {}))
    if (!kebabCase.test(api) || reserved.has(api))
      throw new DomainMistake(`Domain "${name}": API name "${api}" must be kebab-case, one path segment, not reserved.`)
  for (const source of definition.sitemap ?? [])
    if (!kebabCase.test(source.name)) throw new DomainMistake(`Domain "${name}": sitemap source "${source.name}" must be kebab-case, e.g. "products".`)
  return {
    [DEFINED]: true,
    name,
    apis: { ...(definition.api ? { [name]: definition.api } : {}), ...definition.apis },
    apiDescriptions: definition.apiDescriptions ?? {},
    routes: definition.routes ?? [],
    migrations: migrationSet(name, definition.migrations ?? {}),
    dependsOn: definition.dependsOn ?? [],
    nav: definition.nav ?? [],
    slots: definition.slots ?? [],
    viewer: definition.viewer,
    identity: definition.identity,
    badges: definition.badges ?? {},
    personalCookies: definition.personalCookies ?? [],
    start: definition.start,
    commands: definition.commands ?? {},
    noCrawl: definition.noCrawl ?? [],
    sitemap: definition.sitemap ?? [],
    jobs: definition.jobs,
  }
}

/** A migration's file name without `.server.ts`: a number that orders it, then what it does. */
const migrationName = /^\d{3,}-[a-z0-9]+(-[a-z0-9]+)*$/

/**
 * `./migrations/001-create-x.server.ts` of domain `d` becomes migration `d/001-create-x`. A file
 * not named so (`add-code`, `2-add-code`: run in name order, after `010-…`) or without an `up`
 * function (Kysely failed it only when it ran) stops the start, naming it.
 */
function migrationSet(domain: string, modules: Record<string, MigrationModule>): MigrationSet {
  const entries = Object.entries(modules).map(([file, module]): [string, Migration] => {
    const base = file
      .split('/')
      .pop()!
      .replace(/(\.server)?\.[cm]?[jt]s$/, '')
    const where = `domains/${domain}/migrations/${file.split('/').pop()}`
    if (!migrationName.test(base))
      throw new DomainMistake(
        `${where}: a migration is named NNN-what-it-does.server.ts (e.g. 003-add-code.server.ts, numbered after the domain's last): they run in name order`,
      )
    if (typeof module?.up !== 'function') throw new DomainMistake(`${where} must export \`async function up(db)\` (and may export down)`)
    return [`${domain}/${base}`, module as Migration]
  })
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)))
}
