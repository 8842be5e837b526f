import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-node'
import type { Attributes, SpanHandle, Tracing, TracingSettings } from './tracing.ts'

/** The sampler OTEL_TRACES_SAMPLER names (validated by shared/config), built here rather than read from the environment again. */
function samplerOf(name: TracingSettings['OTEL_TRACES_SAMPLER'], ratio: number): Sampler {
  const root = name.endsWith('always_off')
    ? new AlwaysOffSampler()
    : name.endsWith('traceidratio')
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler()
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root
}

/** Loaded only when tracing is on (see tracing.ts): the OpenTelemetry SDK behind Tracing. */
export function otelTracing({
  url,
  serviceName,
  sampler,
  ratio,
  trustIncoming,
}: {
  url: string
  serviceName: string
  sampler: TracingSettings['OTEL_TRACES_SAMPLER']
  ratio: number
  trustIncoming: boolean
}): Tracing {
  // The exporter still reads OTEL_EXPORTER_OTLP_[TRACES_]HEADERS itself (a collector's API key).
  const provider = new NodeTracerProvider({
    // process.pid: with WORKERS > 1 each worker exports its own spans, and says which it is.
    resource: resourceFromAttributes({ 'service.name': serviceName, 'process.pid': process.pid }),
    sampler: samplerOf(sampler, ratio),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  })
  // Async-local context (a span started inside another's callback is its child) and W3C traceparent.
  provider.register()
  const tracer = trace.getTracer('tessera')

  const handle = (span: Span): SpanHandle => ({
    setAttribute: (key, value) => void span.setAttribute(key, value),
    fail(err) {
      span.recordException(err instanceof Error ? err : String(err))
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) })
    },
    end: () => span.end(),
  })
  const clean = (attributes: Attributes = {}) =>
    Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as Record<string, string | number | boolean>

  /** Runs fn in span's context and ends the span when fn, or the promise it returns, is done. */
  function within<T>(span: Span, fn: (span: SpanHandle) => T, extra: object = {}): T {
    const spanHandle = Object.assign(handle(span), extra)
    const fail = (err: unknown) => {
      spanHandle.fail(err)
      span.end()
      throw err
    }
    try {
      const result = context.with(trace.setSpan(context.active(), span), () => fn(spanHandle))
      if (result instanceof Promise)
        return result.then((value) => {
          span.end()
          return value
        }, fail) as T
      span.end()
      return result
    } catch (err) {
      return fail(err)
    }
  }

  return {
    inSpan: (name, attributes, fn) => within(tracer.startSpan(name, { attributes: clean(attributes) }), fn),
    startSpan: (name, attributes) => handle(tracer.startSpan(name, { attributes: clean(attributes) })),
    inRequest(name, headers, fn) {
      const parent = trustIncoming
        ? propagation.extract(ROOT_CONTEXT, headers, { get: (carrier, key) => carrier.get(key) ?? undefined, keys: (carrier) => [...carrier.keys()] })
        : ROOT_CONTEXT
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER }, parent)
      const { traceId, spanId } = span.spanContext()
      return context.with(parent, () =>
        within(span, fn as (span: SpanHandle) => Promise<never>, { rename: (to: string) => span.updateName(to), ids: { traceId, spanId } }),
      )
    },
    inject: (headers) => propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) }),
    traceparent() {
      const carrier: Record<string, string> = {}
      propagation.inject(context.active(), carrier)
      return carrier.traceparent
    },
    inLinkedSpan(name, attributes, traceparent, fn) {
      const from = traceparent ? trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent })) : undefined
      const span = tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes: clean(attributes), links: from ? [{ context: from }] : [] }, ROOT_CONTEXT)
      return context.with(ROOT_CONTEXT, () => within(span, fn))
    },
    inTrace: () => trace.getActiveSpan() !== undefined,
    shutdown: () => provider.shutdown(),
  }
}
