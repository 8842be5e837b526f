import { Component, type ReactNode } from 'react'
import { ErrorPage } from './error-page.tsx'

interface State {
  error: Error | null
}

/** Shows a friendly message instead of a blank page when rendering a page fails in the browser. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override render() {
    if (!this.state.error) return this.props.children
    return <ErrorPage status={500} title="Something went wrong" message="This part of the page could not be shown. Try again in a moment." />
  }
}
