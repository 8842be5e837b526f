/**
 * OpenTelemetry tracing, off unless an OTLP endpoint is configured (docs/observability.md):
 * spans for requests, loaders, renders, streamed parts, SQL, the page cache and upstream calls.
 */
export {
  tracingOn,
  tracingConfigured,
  tracesUrl,
  startTracing,
  stopTracing,
  inSpan,
  inChildSpan,
  startSpan,
  injectTraceContext,
  currentTraceContext,
  inLinkedSpan,
  currentTracing,
  type SpanHandle,
  type Attributes,
  type TracingSettings,
} from './tracing.ts'
