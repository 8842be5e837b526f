import { Component, type ComponentType, type ReactNode } from 'react'
import { ErrorPage } from './error-page.tsx'

interface Props {
  children: ReactNode
  /** The page's own `ErrorFallback`, if it exports one. */
  fallback?: ComponentType<{ error: Error }>
  /** A new value clears a caught error (the next address): the page is tried again, not remounted. */
  resetKey?: string
}

interface State {
  error: Error | null
  resetKey?: string | undefined
}

/** Shows the page's fallback (or a friendly message) instead of a blank page when rendering fails. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey }

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey }
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    const Fallback = this.props.fallback
    if (Fallback) return <Fallback error={error} />
    return <ErrorPage status={500} title="Something went wrong" message="This part of the page could not be shown. Try again in a moment." />
  }
}
