import { useEffect, useRef, type ReactNode } from 'react'

/**
 * A refusal the page says itself, because the form that was refused is gone from it (the data
 * changed meanwhile: a cart line removed, an order shipped): an alert with the focus on it, so it
 * is read first and the keyboard goes on from there. `autoFocus` serves the page sent without
 * JavaScript; React focuses only form controls itself, so after a client render an effect does.
 * @example {refused && <PageRefusal>Not cancelled: {refused.formError}</PageRefusal>}
 */
export function PageRefusal({ children }: { children: ReactNode }) {
  const alert = useRef<HTMLParagraphElement>(null)
  useEffect(() => alert.current?.focus(), [])
  return (
    // biome-ignore lint/a11y/noAutofocus: after a refused submit, focus goes to what went wrong (its form is gone)
    <p ref={alert} className="form-error" role="alert" tabIndex={-1} autoFocus>
      {children}
    </p>
  )
}
