import type { ActionState, Badges, Head, NavItem, PageAssets, Viewer } from '#shared/ui'

/** The global the server's inline script defines and the client entry reads. */
export const BOOT_GLOBAL = '__TESSERA__'

/** How a deferred value ended: its value, or an error message safe to show. */
export type Settled = { value: unknown } | { error: string }

/** One page's data as the server sends it: to hydrate (inline script) or to navigate (NDJSON). */
export interface PagePayload {
  /** Path and query of the page. */
  url: string
  /** The page module, e.g. `domains/home/pages/home.page.tsx`. */
  page: string
  params: Record<string, string>
  /** The loader's data without its deferred values. */
  data: unknown
  /** Keys of the data's deferred values; each arrives in `settled` when the server has it. */
  deferred: string[]
  settled: Record<string, Settled>
  head: Head
  action?: ActionState
  nav: NavItem[]
  viewer: Viewer | null
  /** The header's counts for this viewer (the cart's items): rendered per request, never cached. */
  badges: Badges
}

/** Everything the client needs to hydrate the page the server rendered, with no second request. */
/**
 * Its head has no `jsonLd` and its assets no `inlineCss`: the page's `application/ld+json` scripts
 * and its `<style>` carry them (see hydratePage).
 */
export interface Boot extends PagePayload {
  assets: PageAssets
}

/** A line after the first of a navigation's NDJSON answer: one deferred value arriving. */
export interface SettleLine {
  key: string
  settled: Settled
}

/** The inline runtime that receives deferred values streamed after the shell. */
export const settleRuntime = 'settle:function(k,r){this.settled[k]=r;this.onSettle&&this.onSettle(k,r)}'

/**
 * The inline script that fetches the client's modules (the boot data's `assets`) once the page
 * has painted: the first paint never waits for a script, not even one the browser has cached and
 * would otherwise run (and hydrate with) before painting; every link and form works before
 * hydration anyway. "Painted" is the browser's own first-contentful-paint entry (a frame and a
 * task are not enough: the paint's timestamp is when it reached the screen, later); where paint
 * timing is missing, a frame and a task; at the latest after 3 s. A hidden tab paints nothing, so
 * it loads at once.
 * Modulepreloads for every chunk first, so they come in parallel. The same text on every page
 * (the CSP allows a cached page's copy by its hash).
 */
export const loadAfterPaint =
  '(function(b,d){var done;function load(){if(done)return;done=1;b.assets.preload.forEach(function(h){var l=d.createElement("link");l.rel="modulepreload";l.href=h;d.head.appendChild(l)});' +
  'var s=d.createElement("script");s.type="module";s.src=b.assets.entry;d.body.appendChild(s)}' +
  'if(d.visibilityState==="hidden")return load();setTimeout(load,3e3);var P=self.PerformanceObserver;' +
  'if(P&&P.supportedEntryTypes&&P.supportedEntryTypes.indexOf("paint")>=0)new P(function(l){l.getEntriesByName("first-contentful-paint").length&&setTimeout(load)}).observe({type:"paint",buffered:true});' +
  `else requestAnimationFrame(function(){setTimeout(load)})})(${BOOT_GLOBAL},document)`
