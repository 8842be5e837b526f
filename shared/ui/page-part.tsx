import { Component, Suspense, use, type ReactNode } from 'react'

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
 * place while the rest of the page stays, rendered by the server too: a browser without JavaScript
 * shows it (a thrown error would leave the part to the client, and such a browser `loading` for
 * good). A bare `<Suspense>` lets one failed part take the whole page down to its error fallback.
 * @example <PagePart loading={<p className="skeleton">Loading your orders…</p>} data={data.orders}><OrdersPanel orders={data.orders} /></PagePart>
 */
export function PagePart({ loading, failed = FAILED, data, children }: PagePartProps) {
  return (
    <PartBoundary failed={failed} data={data}>
      <Suspense fallback={loading}>
        <Arrived data={data} failed={failed}>
          {children}
        </Arrived>
      </Suspense>
    </PartBoundary>
  )
}

/** The children once the data has come; the part's failure in their place if it failed (never thrown). */
function Arrived({ data, failed, children }: { data: unknown; failed: ReactNode; children: ReactNode }) {
  if (isThenable(data) && !use(arrival(data))) return <FailedPart failed={failed} />
  return children
}

type Thenable = PromiseLike<unknown> & { status?: string }
const isThenable = (value: unknown): value is Thenable => typeof (value as Thenable | null)?.then === 'function'

/** Whether a part's data came, as a promise that never rejects: one per data promise, so every render reads the same. */
const arrivals = new WeakMap<Thenable, Promise<boolean>>()
function arrival(data: Thenable): Promise<boolean> {
  let arrived = arrivals.get(data)
  if (!arrived) {
    // Settled already (the server's tracked promises, the browser's revived ones): read at once, as hydration needs.
    if (data.status === 'fulfilled' || data.status === 'rejected') arrived = settledAs(data.status === 'fulfilled')
    else
      arrived = Promise.resolve(data).then(
        () => true,
        () => false,
      )
    arrivals.set(data, arrived)
  }
  return arrived
}
const settledAs = (came: boolean) => Object.assign(Promise.resolve(came), { status: 'fulfilled', value: came })

function FailedPart({ failed }: { failed: ReactNode }) {
  return (
    <p className="part-error" role="status">
      {failed}
    </p>
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
    return this.state.failed ? <FailedPart failed={this.props.failed} /> : this.props.children
  }
}
