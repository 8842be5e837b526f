/**
 * The dev server's say for warnings it finds again at every rebuild of the app (a page file no
 * route shows): each once, and again only after a rebuild that no longer found it. Said at every
 * edit, the one new warning was lost among the old ones.
 * @example const start = warnOnChange((message) => log.warn(message)); start.rebuilt(); start.warn('…')
 */
export function warnOnChange(warn: (message: string) => void) {
  let before = new Set<string>()
  let now = new Set<string>()
  return {
    /** A new build of the app begins: what the last one found is what was said. */
    rebuilt(): void {
      before = now
      now = new Set()
    },
    warn(message: string): void {
      if (!before.has(message) && !now.has(message)) warn(message)
      now.add(message)
    },
  }
}
