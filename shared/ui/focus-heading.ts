/**
 * Focuses the page's heading (`main h1`): read out, and where the keyboard continues from. For
 * when what had the focus is gone: after a client navigation (the link went with the old page),
 * or a form's success that removed its own button (a cart line removed, an order cancelled).
 */
export function focusHeading(): void {
  const heading = document.querySelector<HTMLElement>('main h1')
  if (!heading) return
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
  heading.focus({ preventScroll: true })
}
