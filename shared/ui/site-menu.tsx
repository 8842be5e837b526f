import { useContext, useEffect, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react'
import { PageViewContext } from './router-context.ts'

/**
 * The header's menu on narrow screens: a native `<details>`, so it opens and closes without
 * JavaScript, by keyboard (Enter or Space on "Menu") and is announced as expanded or collapsed.
 * On wide screens the stylesheet shows its contents inline and hides "Menu" (styles.css). Once
 * hydrated it also closes when one of its links or buttons is used, on a tap elsewhere or the
 * focus moving out of it, on Back and Forward, and when another page shows (a client navigation keeps the header, so it would stay
 * open over the next page), and on Escape, back to "Menu".
 */
export function SiteMenu({ children }: { children: ReactNode }) {
  const menu = useRef<HTMLDetailsElement>(null)
  // Another path, not another query of the same page: the search box's results, arriving as the
  // shopper opens the menu, must not close it under their finger.
  const path = useContext(PageViewContext)?.url.split('?', 1)[0]
  const shown = useRef(path)
  useEffect(() => {
    // Not at hydration: a menu opened before the scripts ran stays open.
    if (shown.current !== path && menu.current) menu.current.open = false
    shown.current = path
  }, [path])
  useEffect(() => {
    const close = () => {
      if (menu.current) menu.current.open = false
    }
    // A tap elsewhere on the page (a category chip: the same path, another query) is done with the
    // menu, as with any menu; the search box's own results, typed, come by no tap.
    const closeOnLeaving = (event: Event) => {
      if (event.target instanceof Node && !menu.current?.contains(event.target)) close()
    }
    // Nor may the open panel cover what the keyboard moved on to (Tab past its last link).
    const events = ['click', 'submit', 'focusin'] as const
    addEventListener('popstate', close)
    for (const name of events) addEventListener(name, closeOnLeaving)
    return () => {
      removeEventListener('popstate', close)
      for (const name of events) removeEventListener(name, closeOnLeaving)
    }
  }, [])

  function closeAfterChoice(event: MouseEvent<HTMLDetailsElement>) {
    const target = event.target as Element
    if (menu.current?.open && target.closest('a, button') && !target.closest('summary')) menu.current.open = false
  }

  function closeOnEscape(event: KeyboardEvent<HTMLDetailsElement>) {
    if (event.key !== 'Escape' || !menu.current?.open) return
    menu.current.open = false
    menu.current.querySelector('summary')?.focus()
  }

  return (
    <details ref={menu} className="site-menu" onClick={closeAfterChoice} onKeyDown={closeOnEscape}>
      <summary>Menu</summary>
      <div className="site-menu-panel">{children}</div>
    </details>
  )
}
