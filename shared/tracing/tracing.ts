/**
 * Tracing, off by default and free when off: no OpenTelemetry module is loaded until
 * `startTracing()` (called at start-up when the configuration names an OTLP endpoint); until then every
 * helper below runs its function with a span that does nothing.
 */

/** A span as the app's code sees it. */
export interface SpanHandle {
  setAttribute(key: string, value: string | number | boolean): void
  /** Marks it failed (status ERROR, the exception recorded). */
  fail(err: unknown): void
  end(): void
}

/** What an implementation (shared/tracing/otel.server.ts) provides. */
export interface Tracing {
  /** Runs `fn` in a new span, the current one's child, that ends when `fn` (or its promise) does. */
  inSpan<T>(name: string, attributes: Attributes, fn: (span: SpanHandle) => T): T
  /** A child of the current span that the caller ends (a stream, a deferred value). */
  startSpan(name: string, attributes?: Attributes): SpanHandle
  /** Runs `fn` in a request's root span: a child of the caller's `traceparent` only when trusted. */
  inRequest<T>(
    name: string,
    headers: Headers,
    fn: (span: SpanHandle & { rename(name: string): void; ids: { traceId: string; spanId: string } }) => Promise<T>,
  ): Promise<T>
  /** Adds `traceparent` (and `tracestate`) of the current span, for a call to another service. */
  inject(headers: Headers): void
  /** The current span's W3C traceparent, to store with work done later (a job). */
  traceparent(): string | undefined
  /** Runs `fn` in a new root span (a trace of its own) linked to the span a traceparent names. */
  inLinkedSpan<T>(name: string, attributes: Attributes, traceparent: string | null, fn: (span: SpanHandle) => Promise<T>): Promise<T>
  /** Whether a span is current (a request's, a job's, or one of their children). */
  inTrace(): boolean
  /** Sends what is pending and stops. */
  shutdown(): Promise<void>
}

export type Attributes = Record<string, string | number | boolean | undefined>

const NOOP: SpanHandle = { setAttribute() {}, fail() {}, end() {} }
let tracing: Tracing | undefined

/** Whether tracing is on in this process. */
export const tracingOn = (): boolean => tracing !== undefined

/** The tracing settings, as shared/config validated them. */
export interface TracingSettings {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined
  OTEL_SERVICE_NAME: string
  OTEL_TRACES_SAMPLER: 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio'
  OTEL_TRACES_SAMPLER_ARG?: number | undefined
  OTEL_TRUST_INCOMING: boolean
}

/** Where spans go, or undefined when tracing is off: the traces URL, or the endpoint's /v1/traces. */
export function tracesUrl(settings: Pick<TracingSettings, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string | undefined {
  if (settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  return settings.OTEL_EXPORTER_OTLP_ENDPOINT && `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
}

/** Whether the configuration asks for tracing: an OTLP endpoint. */
export const tracingConfigured = (settings: TracingSettings): boolean => tracesUrl(settings) !== undefined

/**
 * Loads the OpenTelemetry SDK and exports spans over OTLP/HTTP to the configured endpoint, with
 * the configured service name and sampler; incoming `traceparent` honoured only with
 * OTEL_TRUST_INCOMING=true. Once per process.
 */
export async function startTracing(settings: TracingSettings): Promise<void> {
  const url = tracesUrl(settings)
  if (tracing || !url) return
  const { otelTracing } = await import('./otel.server.ts')
  tracing = otelTracing({
    url,
    serviceName: settings.OTEL_SERVICE_NAME,
    sampler: settings.OTEL_TRACES_SAMPLER,
    ratio: settings.OTEL_TRACES_SAMPLER_ARG ?? 1,
    trustIncoming: settings.OTEL_TRUST_INCOMING,
  })
}

/**
 * Sends the spans still waiting, for at most `withinMs`: a collector that is down or slow must not
 * hold up a shutdown (the exporter retries for 10 s) nor break it off; `onError` hears why they
 * were not sent.
 */
export async function stopTracing({ withinMs = 2000, onError }: { withinMs?: number; onError?: (err: unknown) => void } = {}): Promise<void> {
  const stopping = tracing
  tracing = undefined
  if (!stopping) return
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, withinMs, 'late')))
  try {
    if ((await Promise.race([stopping.shutdown(), late])) === 'late') onError?.(new Error(`the collector took more than ${withinMs} ms`))
  } catch (err) {
    onError?.(err)
  } finally {
    clearTimeout(timer)
  }
}

export function inSpan<T>(name: string, attributes: Attributes, fn: (span: SpanHandle) => T): T {
  return tracing ? tracing.inSpan(name, attributes, fn) : fn(NOOP)
}

/**
 * As `inSpan`, but only inside a trace (a request's, a job's): work done on its own, such as the
 * polls every 100 ms, makes no trace of its own (14 a second from an idle process).
 */
export function inChildSpan<T>(name: string, attributes: Attributes, fn: (span: SpanHandle) => T): T {
  return tracing?.inTrace() ? tracing.inSpan(name, attributes, fn) : fn(NOOP)
}

export function startSpan(name: string, attributes?: Attributes): SpanHandle {
  return tracing ? tracing.startSpan(name, attributes) : NOOP
}

export function injectTraceContext(headers: Headers): void {
  tracing?.inject(headers)
}

/** The implementation, for the request middleware (only installed when tracing is on). */
export const currentTracing = (): Tracing | undefined => tracing

export function currentTraceContext(): string | undefined {
  return tracing?.traceparent()
}

export function inLinkedSpan<T>(name: string, attributes: Attributes, traceparent: string | null, fn: (span: SpanHandle) => Promise<T>): Promise<T> {
  return tracing ? tracing.inLinkedSpan(name, attributes, traceparent, fn) : fn(NOOP)
}
