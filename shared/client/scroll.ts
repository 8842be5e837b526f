/**
 * Scroll positions per history entry, kept in sessionStorage so back/forward (and a reload)
 * return to where the reader was. The browser's own restoration is off: it would scroll
 * before the client has rendered the entry's page.
 */
const STORAGE_KEY = 'tessera:scroll'

/** True once this history entry has a key: the page was reloaded, or reached by back/forward. */
export function hasEntryKey(): boolean {
  return !!(history.state as { key?: string } | null)?.key
}

export function entryKey(): string {
  const state = history.state as { key?: string } | null
  if (state?.key) return state.key
  const key = Math.random().toString(36).slice(2)
  history.replaceState({ ...state, key }, '')
  return key
}

export function newEntryState(): { key: string } {
  return { key: Math.random().toString(36).slice(2) }
}

export function saveScroll(key: string): void {
  if (!key) return
  const positions = read()
  positions[key] = [scrollX, scrollY]
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(positions))
  } catch {
    // Storage full or blocked: navigation still works, only the position is forgotten.
  }
}

/** Scrolls to where this entry was left; false when nothing was saved for it. */
export function restoreScroll(key: string): boolean {
  const saved = read()[key]
  if (saved) scrollTo(saved[0], saved[1])
  return saved !== undefined
}

/** After a new navigation: the `#hash` target if there is one, else the top. */
export function scrollToTarget(hash: string): void {
  const target = hash && document.getElementById(decodeURIComponent(hash.slice(1)))
  if (target) target.scrollIntoView()
  else scrollTo(0, 0)
}

function read(): Record<string, [number, number]> {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}')
  } catch {
    return {}
  }
}
