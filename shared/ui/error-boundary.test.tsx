import type { ErrorInfo, ReactElement } from 'react'
import { renderToString } from 'react-dom/server'
import { expect, it } from 'vitest'
import { ErrorBoundary } from './error-boundary.tsx'

/**
 * What the boundary shows once it caught `error` in the browser, taken through React's own steps
 * (getDerivedStateFromError, then componentDidCatch with the component stack). No DOM here: the
 * state updates are applied as React would apply them.
 */
function caught(props: { showError?: boolean; fallback?: (props: { error: Error }) => ReactElement }, error: Error): string {
  const boundary = new ErrorBoundary({ children: null, ...props })
  boundary.state = { ...boundary.state, ...ErrorBoundary.getDerivedStateFromError(error) }
  boundary.setState = (update) => Object.assign(boundary.state, update)
  boundary.componentDidCatch?.(error, {
    componentStack: '\n    at ReviewList (reviews.page.tsx:30:9)\n    at ReviewsPage (reviews.page.tsx:12:5)',
  } as ErrorInfo)
  return renderToString(boundary.render())
}

const thrown = new Error("Cannot read properties of undefined (reading 'map')")

it("shows a render error's message and component stack in development when the page has no ErrorFallback", () => {
  const html = caught({ showError: true }, thrown)
  expect(html).toContain('Cannot read properties of undefined (reading &#x27;map&#x27;) (shown in development only')
  expect(html).toContain('at ReviewList (reviews.page.tsx:30:9)\n    at ReviewsPage (reviews.page.tsx:12:5)</pre>')
})

it('stays generic in production, revealing nothing of the error', () => {
  const html = caught({ showError: false }, thrown)
  expect(html).toContain('This part of the page could not be shown. Try again in a moment.')
  expect(html).not.toContain('reading')
  expect(html).not.toContain('ReviewList')
})

it("leaves the page's own ErrorFallback in charge, in development too", () => {
  const html = caught({ showError: true, fallback: ({ error }) => <p>Broke: {error.message}</p> }, thrown)
  expect(html).toMatch(/^<p>Broke: <!-- -->Cannot read/)
  expect(html).not.toContain('ReviewList')
})
