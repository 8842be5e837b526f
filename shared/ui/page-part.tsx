import { Component, Suspense, type ReactNode } from 'react'

const FAILED = 'This part of the page could not be shown. Reload the page to try again.'

interface PagePartProps {
  /** Shown until the part's data comes. */
  loading: ReactNode
  /** Shown in its place if it never does. */
  failed?: ReactNode
  /** The part's data (its deferred promise): a new one, from a refresh, tries a failed part again. */
  data?: unknown
  children: ReactNode
}

/**
 * A part of a page whose data streams in (a loader's deferred value, read with `use()`): `loading`
 * until it comes; if it never does (its query failed, RENDER_TIMEOUT_MS ran out), `failed` in its
 * place while the rest of the page stays. A bare `<Suspense>` lets one failed part take the whole
 * page down to its error fallback.
 * @example <PagePart loading={<p className="skeleton">Loading your orders…</p>} data={data.orders}><OrdersPanel orders={data.orders} /></PagePart>
 */
export function PagePart({ loading, failed = FAILED, data, children }: PagePartProps) {
  return (
    <PartBoundary failed={failed} data={data}>
      <Suspense fallback={loading}>{children}</Suspense>
    </PartBoundary>
  )
}

type BoundaryProps = { failed: ReactNode; data: unknown; children: ReactNode }
type BoundaryState = { failed: boolean; data: unknown }

class PartBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failed: false, data: this.props.data }

  static getDerivedStateFromError(): Partial<BoundaryState> {
    return { failed: true }
  }

  // Failed, it stays so through any render of the page (its children would only throw again), until new data comes.
  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): BoundaryState | null {
    return props.data === state.data ? null : { failed: false, data: props.data }
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
