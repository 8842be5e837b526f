export type { AppEnv, AppVariables } from './app-env.ts'
export { HttpError, describeError, errorBody, isApiPath, statusErrorBody, type ErrorBody, type Issue } from './errors.ts'
export { discardUnreadBody } from './discard-body.server.ts'
export { continueWhenRead } from './expect-continue.server.ts'
export { isDatabaseUnavailable } from './database-unavailable.ts'
export { validate, toIssues } from './validate.ts'
export { operation, operationOf, OPERATION, type OperationSpec, type Responses, type Access, type Reply } from './operation.ts'
export { apiErrorSchema } from './api-error.ts'
export {
  redirect,
  redirectTarget,
  notFound,
  notFoundPastTheEnd,
  refusePosition,
  LISTING_BAD_QUERY,
  isSameSitePath,
  isRedirectablePath,
  locationOf,
  MAX_LOCATION_LENGTH,
} from './signals.ts'
export {
  integerText,
  integerJson,
  idText,
  idJson,
  pageNumber,
  MAX_PAGE,
  centsText,
  plainText,
  linkUrl,
  readQuery,
  blankAsAbsent,
  readId,
  type IntegerRange,
} from './input-schemas.ts'
export { pageLinksSchema, cursorText, pageOrLast, pagePosition } from './page-link-schemas.ts'
export { allowedMethods } from './allowed-methods.ts'
export { requestLogger } from './request-logger.ts'
export { requestId } from './request-id.server.ts'
export { readCookie, requestHeader } from './node-http.server.ts'
export { acceptsGzip, compressResponses, COMPRESS_THRESHOLD_BYTES } from './compress.server.ts'
export { headContentLength } from './head-length.server.ts'
export { varyOn, withVary } from './vary.ts'
export { normalisePaths } from './normalise-path.ts'
export { lowercasePagePaths } from './lowercase-paths.ts'
export { oneHost } from './one-host.server.ts'
export { refuseDotSegments } from './dot-segments.server.ts'
export { toWebStream } from './web-stream.server.ts'
export { apiEtags } from './etag.server.ts'
export { evaluatePreconditions, ifMatchNames, ifNoneMatchNames, type Conditions, type PreconditionOutcome, type Validators } from './preconditions.ts'
export { health, startDraining } from './health.server.ts'
export { securityHeaders, cspNonce, allowScriptHashes, scriptHashSources, FIXED_HEADERS } from './security-headers.server.ts'
export { staticAssets } from './static-assets.server.ts'
export { revalidateTag, revalidatePath, syncPageCache } from './revalidate.ts'
export { clientIp, clientNetwork } from './client-ip.server.ts'
export { publicOrigin } from './public-origin.ts'
export { isAnonymous, privateAnswers } from './personal-answers.server.ts'
export { createMetrics, routeOf, type MetricsOptions, type UpstreamMetrics } from './metrics.server.ts'
export { answerMetricsForWorkers } from './cluster-metrics.server.ts'
export { METRICS_PATH, metricsAccess, metricsRoutes, type MetricsAccess, type MetricsText } from './metrics-routes.server.ts'
export { openApiDocument, undocumentedRoutes, type OpenApiDocument } from './openapi.server.ts'
export { checkApiResponses, contractProblem } from './api-contract.server.ts'
export { cookieDefaults, ownCookieName, readOwnCookie, readOwnCookiesStartingWith, SESSION_COOKIE, withHostPrefix } from './cookies.server.ts'
export { crossSiteGuard, type CrossSiteGuardOptions } from './cross-site-guard.ts'
export { siteFiles, FAVICON_SVG, type SiteFilesOptions } from './site-files.server.ts'
export { sitemapListsAny, sitemapRoutes, xmlText, SITEMAP_PART_SIZE, type SitemapServe } from './sitemap.server.ts'
export { traceRequests } from './trace-requests.server.ts'
