/** The id of the page's live region (Layout renders it, empty, on every page). */
export const ANNOUNCER_ID = 'announcer'

/**
 * Says `message` to screen readers, through a live region present since the page loaded: a
 * region added together with its text is not announced everywhere (decision 012), and a message
 * shown beside a form only is not announced at all. Emptied first, so the same message twice (a
 * second "Removed") is said twice.
 * @example announce('Blue mug removed from your cart.')
 */
export function announce(message: string): void {
  clearTimeout(pending)
  const region = document.getElementById(ANNOUNCER_ID)
  if (!region) return
  region.textContent = ''
  pending = setTimeout(() => {
    region.textContent = message
  }, 100)
}

let pending: ReturnType<typeof setTimeout> | undefined

/** Empties the region when another page shows: what a form said belongs to the page it was on. */
export function clearAnnouncement(): void {
  clearTimeout(pending)
  const region = document.getElementById(ANNOUNCER_ID)
  if (region) region.textContent = ''
}
