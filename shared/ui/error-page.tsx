/** A friendly page for an HTTP error: what happened, and a way back. */
export function ErrorPage({ status, title, message }: { status: number; title: string; message: string }) {
  return (
    <section className="error-page" data-status={status}>
      <p className="error-status">{status}</p>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to the store</a>
      </p>
    </section>
  )
}
