import { Component, Suspense, type ReactNode } from 'react'

const FAILED = 'This part of the page could not be shown. Reload the page to try again.'

/**
 * A part of a page whose data streams in (a loader's deferred value, read with `use()`): `loading`
 * until it comes; if it never does (its query failed, RENDER_TIMEOUT_MS ran out), `failed` in its
 * place while the rest of the page stays. A bare `<Suspense>` lets one failed part take the whole
 * page down to its error fallback.
 * @example <PagePart loading={<p className="skeleton">Loading your orders…</p>}><OrdersPanel orders={data.orders} /></PagePart>
 */
export function PagePart({ loading, failed = FAILED, children }: { loading: ReactNode; failed?: ReactNode; children: ReactNode }) {
  return (
    <PartBoundary failed={failed} part={children}>
      <Suspense fallback={loading}>{children}</Suspense>
    </PartBoundary>
  )
}

interface BoundaryProps {
  failed: ReactNode
  /** The part as rendered: new data (a refresh, a navigation to the same page) tries it again. */
  part: ReactNode
  children: ReactNode
}

type BoundaryState = { failed: boolean; failedPart?: ReactNode }

class PartBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failed: false }

  static getDerivedStateFromError(): BoundaryState {
    return { failed: true }
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): BoundaryState | null {
    if (!state.failed) return null
    // Caught just now: remember which part failed. Another part since: try it.
    if (state.failedPart === undefined) return { failed: true, failedPart: props.part }
    return state.failedPart === props.part ? null : { failed: false }
  }

  override render() {
    if (!this.state.failed) return this.props.children
    return (
      <p className="part-error" role="status">
        {this.props.failed}
      </p>
    )
  }
}
