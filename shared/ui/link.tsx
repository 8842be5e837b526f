import { useContext, useEffect, useRef, type AnchorHTMLAttributes, type MouseEvent } from 'react'
import { RouterContext } from './router-context.ts'

export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string
  /** Fetch the target's data ahead: on hover or focus (`intent`), when visible (`viewport`), or never. */
  prefetch?: 'intent' | 'viewport' | 'none'
  replace?: boolean
}

/**
 * An `<a>` that navigates without a full page load once the page has hydrated: one request for
 * the target's loader data, its page chunk, then an in-place render. Modified clicks (new tab…),
 * other origins and downloads keep the browser's behaviour; so does any failure.
 * @example <Link href="/products?page=2">Next</Link>
 */
export function Link({ href, prefetch = 'intent', replace, onClick, onMouseEnter, onFocus, ...rest }: LinkProps) {
  const router = useContext(RouterContext)
  const ref = useRef<HTMLAnchorElement>(null)

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new href is a new address to watch (read through the anchor)
  useEffect(() => {
    const anchor = ref.current
    if (!router || prefetch !== 'viewport' || !anchor || !isInternal(anchor)) return
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        router.prefetch(anchor.href)
        observer.disconnect()
      }
    })
    observer.observe(anchor)
    return () => observer.disconnect()
  }, [router, prefetch, href])

  const intent = (anchor: HTMLAnchorElement) => {
    if (router && prefetch === 'intent' && isInternal(anchor)) router.prefetch(anchor.href)
  }

  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event)
    const anchor = event.currentTarget
    if (!router || event.defaultPrevented || !isPlainClick(event) || !isInternal(anchor)) return
    event.preventDefault()
    void router.navigate(anchor.href, { replace })
  }

  return (
    <a
      ref={ref}
      href={href}
      onClick={handleClick}
      onMouseEnter={(event) => {
        onMouseEnter?.(event)
        intent(event.currentTarget)
      }}
      onFocus={(event) => {
        onFocus?.(event)
        intent(event.currentTarget)
      }}
      {...rest}
    />
  )
}

function isPlainClick(event: MouseEvent) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
}

function isInternal(anchor: HTMLAnchorElement) {
  return anchor.origin === location.origin && !anchor.hasAttribute('download') && (!anchor.target || anchor.target === '_self')
}
