import { HttpError } from '#shared/http'

/**
 * No answer from an upstream: 502 `upstream_error` (refused, reset, not HTTP), 504
 * `upstream_timeout`, 503 `upstream_unavailable` with `Retry-After` (its circuit is open). Thrown
 * out of a loader or handler, the app answers it as the proxy does: JSON under `/api`, else the
 * error page.
 */
export class UpstreamError extends HttpError {
  override name = 'UpstreamError'
  constructor(
    override readonly status: 502 | 503 | 504,
    /** The remote domain's name. */
    readonly upstream: string,
  ) {
    const { code, message } = upstreamError(status, upstream)
    super(status, code, message, undefined, status === 503 ? { 'Retry-After': '10' } : {})
  }
}

/** Why the upstream gave no answer: 502, 503 (circuit open) or 504. */
function upstreamError(status: 502 | 503 | 504, name: string): { code: string; message: string } {
  const errors: Record<typeof status, { code: string; message: string }> = {
    502: { code: 'upstream_error', message: `The ${name} service did not answer properly.` },
    503: { code: 'upstream_unavailable', message: `The ${name} service is unavailable; try again shortly.` },
    504: { code: 'upstream_timeout', message: `The ${name} service took too long to answer.` },
  }
  return errors[status]
}
