import { Component, type ComponentType, type ReactNode } from 'react'
import { ErrorPage } from './error-page.tsx'

interface Props {
  children: ReactNode
  /** The page's own `ErrorFallback`, if it exports one. */
  fallback?: ComponentType<{ error: Error }>
}

interface State {
  error: Error | null
}

/** Shows the page's fallback (or a friendly message) instead of a blank page when rendering fails. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    const Fallback = this.props.fallback
    if (Fallback) return <Fallback error={error} />
    return <ErrorPage status={500} title="Something went wrong" message="This part of the page could not be shown. Try again in a moment." />
  }
}
