import { z } from 'zod'

/**
 * Request headers FALLBACK_REQUEST_HEADERS may not add for the old app, and why. Hop-by-hop ones
 * are this connection's (RFC 9110 §7.6.1), and fetch sets its own; the store says itself who asked,
 * from where and for which host (a client's `Host` or `X-Forwarded-For` is the client's to forge),
 * the request id, the trace, the signed identity and the cookies it keeps; and Next.js's internal
 * ones, sent by a client, skip its middleware (`x-middleware-subrequest`, CVE-2025-29927) or
 * poison its cache (`x-now-route-matches`) on unpatched versions.
 */
const REFUSED: [RegExp, string][] = [
  [
    /^(connection|keep-alive|proxy-connection|transfer-encoding|te|trailer|upgrade|expect|proxy-authorization|proxy-authenticate)$/,
    'is hop-by-hop: it is for one connection, never passed on',
  ],
  [
    /^(host|cookie|forwarded|x-forwarded-.*|x-real-ip|x-request-id|traceparent|tracestate|baggage|x-tessera-.*)$/,
    'is what the store itself tells the old app (the client may not say it)',
  ],
  [
    /^(x-middleware-subrequest|x-middleware-invoke|x-now-route-matches|x-matched-path|x-invoke-.*|x-vercel-.*)$/,
    "is Next.js's internal header: sent by a client, it skips the app's middleware or poisons its cache",
  ],
]

/** A header name as HTTP writes it (RFC 9110 §5.6.2, a token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/

/** `X-Tenant, X-Region`: the names, lowercased; each refused one named with its reason. */
export const fallbackRequestHeaders = z.string().transform((list, ctx) => {
  const names = [...new Set(list.split(',').map((name) => name.trim().toLowerCase()))].filter((name) => name !== '')
  for (const name of names) {
    const refused = TOKEN.test(name) ? REFUSED.find(([pattern]) => pattern.test(name))?.[1] : 'is no header name'
    if (refused) ctx.addIssue({ code: 'custom', message: `"${name}" ${refused} (a comma list of header names, e.g. X-Tenant, X-Region)` })
  }
  return names
})
