import type { ReactNode } from 'react'

/** A friendly page for an HTTP error: what happened, and a way back (`children`: details below the message, in development). */
export function ErrorPage({ status, title, message, children }: { status: number; title: string; message: string; children?: ReactNode }) {
  return (
    <section className="error-page" data-status={status}>
      <p className="error-status">{status}</p>
      <h1>{title}</h1>
      <p>{message}</p>
      {children}
      <p>
        <a href="/">Back to the store</a>
      </p>
    </section>
  )
}
