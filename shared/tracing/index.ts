/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/observability.md):
 * spans for requests, loaders, renders, streamed parts, SQL, the page cache and upstream calls.
 */
export { tracingOn, tracingConfigured, startTracing, stopTracing, inSpan, startSpan, injectTraceContext, currentTraceContext, inLinkedSpan, currentTracing, type SpanHandle, type Attributes } from './tracing.ts'
