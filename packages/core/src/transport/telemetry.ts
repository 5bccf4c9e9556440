import type * as Otel from '@opentelemetry/api';
import type { VmtasksError } from '../errors.js';

type OtelApi = typeof Otel;

/** Names the instrumentation scope of every span and metric. */
export const INSTRUMENTATION_NAME = '@vmtasks/core';

/** The semantic conventions' advice for `http.client.request.duration`, seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);

/** Loads `@opentelemetry/api`; rejects (`ERR_MODULE_NOT_FOUND`) when it is not installed. */
export type OtelLoader = () => Promise<unknown>;

const importApi: OtelLoader = () => import('@opentelemetry/api');

// One load per loader for the whole process: every client shares the outcome.
const loads = new WeakMap<OtelLoader, Promise<OtelApi | undefined>>();

/**
 * `@opentelemetry/api` when it can be loaded, else undefined: it is an optional peer dependency,
 * imported on a client's first call (never when the package is imported). A failed import — not
 * installed (`ERR_MODULE_NOT_FOUND`), or anything else — turns telemetry off; a call never fails
 * for it.
 */
function loadApi(load: OtelLoader): Promise<OtelApi | undefined> {
  let loading = loads.get(load);
  if (!loading) {
    loading = load().then(
      (module) => (isOtelApi(module) ? module : undefined),
      () => undefined,
    );
    loads.set(load, loading);
  }
  return loading;
}

function isOtelApi(module: unknown): module is OtelApi {
  const api = module as Partial<OtelApi> | null;
  return typeof api?.trace?.getTracerProvider === 'function' && typeof api.metrics?.getMeterProvider === 'function';
}

/** What a call is, for its span and its duration. */
export interface CallStart {
  operation: string;
  method: string;
  urlTemplate: string | undefined;
  /** The call's URL, already redacted. */
  url: () => string;
}

/** How a call ended, for its span and its duration. */
export interface CallEnd {
  status: number | undefined;
  error: VmtasksError | undefined;
  /** Resends, retries and redirects alike: `http.request.resend_count`. */
  resends: number;
}

/** One call being recorded: a CLIENT span and/or the duration histogram. */
export interface CallRecord {
  retry(attempt: number, delayMs: number, status: number | undefined, reason: string): void;
  end(end: CallEnd): void;
}

/** One wait or watch being recorded: an INTERNAL span with an event per poll. */
export interface WaitRecord {
  /** Runs `fn` with the wait's span as the active one, so that the polls' call spans are its children. */
  bind<F extends (...args: never[]) => unknown>(fn: F): F;
  poll(listed: number | undefined, error: unknown): void;
  end(error: unknown): void;
}

/**
 * OpenTelemetry for one client: a CLIENT span per call named `{method} {url template}` with the
 * stable HTTP client semantic conventions, and the `http.client.request.duration` histogram.
 * Nothing is made, and almost nothing done, until a tracer or meter provider is registered: the
 * cost without one is two global look-ups per call.
 */
export class Telemetry {
  #api: OtelApi | undefined;
  #loading: Promise<unknown> | undefined;
  #noopTracerProvider: Otel.TracerProvider | undefined;
  #noopMeter: Otel.Meter | undefined;
  #tracerProvider: Otel.TracerProvider | undefined;
  #tracer: Otel.Tracer | undefined;
  #meterProvider: Otel.MeterProvider | undefined;
  #histogram: Otel.Histogram | undefined;
  readonly #serverAddress: string;
  readonly #serverPort: number;
  readonly #scheme: string;

  constructor(origin: string, load: OtelLoader = importApi) {
    const url = new URL(origin);
    this.#serverAddress = url.hostname.replace(/^\[|\]$/g, '');
    this.#scheme = url.protocol.slice(0, -1);
    this.#serverPort = url.port === '' ? (this.#scheme === 'https' ? 443 : 80) : Number(url.port);
    this.#loading = loadApi(load).then((api) => {
      this.#api = api;
      this.#loading = undefined;
      if (!api) return;
      this.#noopTracerProvider = new api.ProxyTracerProvider().getDelegate();
      this.#noopMeter = api.createNoopMeter();
    });
  }

  /** Undefined once the API is loaded or known absent (no await on the hot path); else its loading. */
  ready(): Promise<unknown> | undefined {
    return this.#loading;
  }

  /** Whether `@opentelemetry/api` was found (after `ready()`). */
  get available(): boolean {
    return this.#api !== undefined;
  }

  /** The tracer of the registered provider; undefined when none is registered. */
  #currentTracer(api: OtelApi): Otel.Tracer | undefined {
    const global = api.trace.getTracerProvider();
    // The global provider is a proxy whose delegate is the registered one (or a no-op).
    const provider =
      'getDelegate' in global && typeof global.getDelegate === 'function' ? (global.getDelegate() as Otel.TracerProvider) : global;
    if (provider !== this.#tracerProvider) {
      this.#tracerProvider = provider;
      this.#tracer = provider === this.#noopTracerProvider ? undefined : provider.getTracer(INSTRUMENTATION_NAME);
    }
    return this.#tracer;
  }

  /** The duration histogram of the registered meter provider; undefined when none is registered. */
  #currentHistogram(api: OtelApi): Otel.Histogram | undefined {
    const provider = api.metrics.getMeterProvider();
    if (provider !== this.#meterProvider) {
      this.#meterProvider = provider;
      const meter = provider.getMeter(INSTRUMENTATION_NAME);
      this.#histogram =
        meter === this.#noopMeter
          ? undefined
          : meter.createHistogram('http.client.request.duration', {
              description: 'Duration of HTTP client requests.',
              unit: 's',
              advice: { explicitBucketBoundaries: DURATION_BUCKETS },
            });
    }
    return this.#histogram;
  }

  /** Starts recording a call; undefined (nothing to do) when no provider is registered or the API is absent. */
  call(start: CallStart): CallRecord | undefined {
    const api = this.#api;
    if (!api) return undefined;
    const tracer = this.#currentTracer(api);
    const histogram = this.#currentHistogram(api);
    if (!tracer && !histogram) return undefined;
    const started = performance.now();
    const method = KNOWN_METHODS.has(start.method) ? start.method : '_OTHER';
    const common: Otel.Attributes = {
      'http.request.method': method,
      'server.address': this.#serverAddress,
      'server.port': this.#serverPort,
      'url.scheme': this.#scheme,
      'vmtasks.operation': start.operation,
    };
    if (start.urlTemplate !== undefined) common['url.template'] = start.urlTemplate;
    const span = tracer?.startSpan(`${method} ${start.urlTemplate ?? start.operation}`, {
      kind: api.SpanKind.CLIENT,
      attributes: { ...common, 'url.full': start.url(), ...(method === '_OTHER' ? { 'http.request.method_original': start.method } : {}) },
    });
    return {
      retry: (attempt, delayMs, status, reason) =>
        span?.addEvent('vmtasks.retry', {
          'vmtasks.attempt': attempt,
          'vmtasks.retry.delay_ms': delayMs,
          'vmtasks.retry.reason': reason,
          ...(status === undefined ? {} : { 'http.response.status_code': status }),
        }),
      end: ({ status, error, resends }) => {
        const ended: Otel.Attributes = { ...common };
        if (status !== undefined) ended['http.response.status_code'] = status;
        const errorType = errorTypeOf(status, error);
        if (errorType !== undefined) ended['error.type'] = errorType;
        histogram?.record((performance.now() - started) / 1000, ended);
        if (!span) return;
        span.setAttributes(ended);
        if (resends > 0) span.setAttribute('http.request.resend_count', resends);
        // An HTTP error status says it all; other failures say what ended the call (already redacted).
        if (errorType !== undefined)
          span.setStatus({ code: api.SpanStatusCode.ERROR, ...(status && status >= 400 ? {} : { message: error?.message }) });
        span.end();
      },
    };
  }

  /** Starts recording a wait or a watch (`name`); undefined when no tracer provider is registered or the API is absent. */
  wait(name: string, attributes: Readonly<Record<string, string | number>>): WaitRecord | undefined {
    const api = this.#api;
    const tracer = api && this.#currentTracer(api);
    if (!api || !tracer) return undefined;
    const span = tracer.startSpan(name, { kind: api.SpanKind.INTERNAL, attributes: { 'vmtasks.operation': name, ...attributes } });
    const context = api.trace.setSpan(api.context.active(), span);
    let polls = 0;
    return {
      bind: (fn) => api.context.bind(context, fn),
      poll: (listed, error) => {
        polls++;
        const event: Otel.Attributes = { 'vmtasks.poll': polls };
        if (listed !== undefined) event['vmtasks.poll.tasks'] = listed;
        if (error !== undefined) event['error.type'] = errorTypeOf(undefined, error) ?? 'Error';
        span.addEvent('vmtasks.poll', event);
      },
      end: (error) => {
        span.setAttribute('vmtasks.polls', polls);
        if (error !== undefined) {
          span.setAttribute('error.type', errorTypeOf(undefined, error) ?? 'Error');
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
        }
        span.end();
      },
    };
  }
}

/** `error.type`: the status when the answer was an HTTP error, else the error's class name. */
function errorTypeOf(status: number | undefined, error: unknown): string | undefined {
  const errorStatus = (error as { status?: unknown } | undefined)?.status;
  const answered = status ?? (typeof errorStatus === 'number' && errorStatus > 0 ? errorStatus : undefined);
  if (answered !== undefined && answered >= 400) return String(answered);
  if (error === undefined) return undefined;
  return error instanceof Error ? error.name : 'Error';
}
