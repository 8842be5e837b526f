import type { Context } from 'hono'
import type { BadgeCounter, Domain } from '#shared/domain'
import { SESSION_COOKIE, withHostPrefix, type AppEnv } from '#shared/http'
import type { Badges, NavItem, Viewer } from '#shared/ui'

/** What the header shows, gathered from the domains once at start-up. */
export interface LayoutSources {
  /** Every domain's navigation, in order; each viewer sees their part. */
  nav: NavItem[]
  /** Who is signed in, from the domain that provides it (auth); null when none does. */
  viewerOf: (c: Context) => Promise<Viewer | null>
  /** Each badge's counter by name. */
  badgeCounters: Record<string, BadgeCounter>
  /** The session's cookie and every cookie a domain declares personal (a visitor's cart), by both names (ownCookieName). */
  personalCookies: readonly string[]
}

/** The domains' navigation, viewer, badges and personal cookies; a badge no domain counts, or two count, stops the start. */
export function layoutSources(domains: Domain[]): LayoutSources {
  const nav = domains.flatMap((domain) => domain.nav).sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
  const viewerProvider = domains.find((domain) => domain.viewer)?.viewer
  const badgeCounters: Record<string, BadgeCounter> = {}
  for (const domain of domains) {
    for (const [name, counter] of Object.entries(domain.badges)) {
      if (badgeCounters[name]) throw new Error(`Two domains count the badge "${name}"; ${domain.name} is one.`)
      badgeCounters[name] = counter
    }
  }
  for (const { href, badge } of nav) {
    if (badge && !badgeCounters[badge.name])
      throw new Error(`The nav item ${href} shows the badge "${badge.name}", which no domain counts (defineDomain's badges).`)
  }
  return {
    nav,
    viewerOf: async (c) => (viewerProvider ? viewerProvider(c as Context<AppEnv>) : null),
    badgeCounters,
    personalCookies: withHostPrefix([SESSION_COOKIE, ...new Set(domains.flatMap((domain) => domain.personalCookies))]),
  }
}

/** No counts: what a visitor without a personal cookie sees, as cached pages do. */
export const NO_BADGES: Badges = Object.freeze({})

/**
 * This request's counts for the badges among `items`, in parallel. A counter that fails shows no
 * count (and is reported) rather than failing the page around it.
 */
export async function countBadges(c: Context, items: NavItem[], counters: Record<string, BadgeCounter>, onError: (err: unknown) => void): Promise<Badges> {
  const names = [...new Set(items.flatMap(({ badge }) => (badge ? [badge.name] : [])))]
  if (names.length === 0) return NO_BADGES
  const counts = await Promise.all(
    names.map((name) =>
      counters[name]!(c as Context<AppEnv>).catch((err: unknown) => {
        onError(err)
        return 0
      }),
    ),
  )
  return Object.fromEntries(names.map((name, i) => [name, counts[i]!]))
}
