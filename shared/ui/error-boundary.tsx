import { Component, type ComponentType, type ErrorInfo, type ReactNode } from 'react'
import { ErrorPage } from './error-page.tsx'

interface Props {
  children: ReactNode
  /** The page's own `ErrorFallback`, if it exports one. */
  fallback?: ComponentType<{ error: Error }>
  /** A new value clears a caught error (the next address): the page is tried again, not remounted. */
  resetKey?: string
  /**
   * Without a fallback, show the error's message and where it was thrown (its component stack), as
   * the server's 500 page does in development; else a message that reveals nothing. Vite's
   * development build by default, never a production one.
   */
  showError?: boolean
}

interface State {
  error: Error | null
  /** The components the error was thrown in, innermost first (React gives it once the error is caught). */
  componentStack?: string | undefined
  resetKey?: string | undefined
}

/** Shows the page's fallback (or a friendly message) instead of a blank page when rendering fails. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey }

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey ? null : { error: null, componentStack: undefined, resetKey: props.resetKey }
  }

  override componentDidCatch(_error: Error, info: ErrorInfo): void {
    if (this.showsError()) this.setState({ componentStack: info.componentStack ?? undefined })
  }

  override render() {
    const { error, componentStack } = this.state
    if (!error) return this.props.children
    const Fallback = this.props.fallback
    if (Fallback) return <Fallback error={error} />
    if (!this.showsError()) {
      return <ErrorPage status={500} title="Something went wrong" message="This part of the page could not be shown. Try again in a moment." />
    }
    return (
      <ErrorPage status={500} title="Something went wrong" message={`${error.message} (shown in development only; the browser's console has its stack)`}>
        {componentStack ? (
          <pre className="error-stack" style={{ textAlign: 'left', overflowX: 'auto' }}>
            {componentStack.replace(/^\n/, '')}
          </pre>
        ) : null}
      </ErrorPage>
    )
  }

  private showsError(): boolean {
    return this.props.showError ?? import.meta.env?.DEV === true
  }
}
