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
  const region = document.getElementById(ANNOUNCER_ID)
  if (!region) return
  region.textContent = ''
  setTimeout(() => {
    region.textContent = message
  }, 100)
}
