// OpenTelemetry through the SDK's in-memory exporters (and once through the OTLP/HTTP exporter to
// a receiver on 127.0.0.1), real servers on 127.0.0.1, real transports.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { closedPort, sendJson, startTestServer, type Handler, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type RequestSummary } from '../errors.js';
import { Redactor } from '../redact.js';
import { Transport, type OperationSpec, type TransportOptions } from '../transport.js';
import { DURATION_BUCKETS } from './telemetry.js';

const servers: TestServer[] = [];
const transports: Transport[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

const SECRET = 'sub-0f1e2d3c-4b5a';
// A per-call bearer token, a secret of that call only.
const CALL_TOKEN = 'call-bearer-q1w2e3';

function transport(
  server: string,
  options: TransportOptions & { loadTelemetry?: () => Promise<unknown> } = {},
  secret = SECRET,
): Transport {
  const made = new Transport({
    retry: { baseDelayMs: 5, maxDelayMs: 1_000 },
    ...options,
    baseUrl: `${server}/api/v1`,
    redactor: Redactor.forBasicAuth('apiuser', secret),
  });
  transports.push(made);
  return made;
}

const getThing: OperationSpec<unknown, ApiError> = {
  operation: 'getThing',
  method: 'GET',
  path: '/things/{thing}',
  accepts: (_value): _value is unknown => true,
  toError: (status: number, body: unknown, request: RequestSummary) => new ApiError(`HTTP ${status}`, { ...request, status, body }),
};

function call(t: Transport, server: string, options: { secret?: string; headers?: Record<string, string> } = {}): Promise<unknown> {
  const basic = Buffer.from(`apiuser:${options.secret ?? SECRET}`).toString('base64');
  const headers = { authorization: `Basic ${basic}`, ...options.headers };
  return t.invoke(getThing, { method: 'GET', url: `${server}/api/v1/things/t1`, headers });
}

const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => value,
    (error: unknown) => error,
  );

/** A tracer and a meter provider, registered globally until the test ends. */
function registerProviders(): { spans: () => ReadableSpan[]; metricsNow: () => Promise<InMemoryMetricExporter> } {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  trace.setGlobalTracerProvider(tracerProvider);
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Read on demand (forceFlush); the interval is far beyond any test.
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  cleanups.push(async () => {
    trace.disable();
    metrics.disable();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  });
  return {
    spans: () => spanExporter.getFinishedSpans(),
    metricsNow: async () => {
      await reader.forceFlush();
      return metricExporter;
    },
  };
}

async function durations(exporter: InMemoryMetricExporter) {
  const metric = exporter
    .getMetrics()
    .at(-1)
    ?.scopeMetrics.flatMap((scope) => scope.metrics)
    .find((each) => each.descriptor.name === 'http.client.request.duration');
  return metric;
}

describe('OpenTelemetry', () => {
  it('makes each call a CLIENT span named by method and URL template, with the HTTP semantic conventions', async () => {
    const { spans } = registerProviders();
    let calls = 0;
    const server = await serve((req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 503, {});
      if (req.url.startsWith('/api/v1/things/')) {
        res.writeHead(307, { location: '/api/v1/moved' });
        return res.end();
      }
      sendJson(res, 200, { ok: true });
    });
    await call(transport(server.url), server.url);
    const [span, ...others] = spans();
    expect(others).toEqual([]);
    expect(span?.name).toBe('GET /api/v1/things/{thing}');
    expect(span?.kind).toBe(2); // SpanKind.CLIENT
    expect(span?.attributes).toEqual({
      'http.request.method': 'GET',
      'url.template': '/api/v1/things/{thing}',
      'url.full': `${server.url}/api/v1/things/t1`,
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'vmtasks.operation': 'getThing',
      'http.response.status_code': 200,
      // One retry, one redirect.
      'http.request.resend_count': 2,
    });
    expect(span?.status.code).toBe(0); // UNSET
    expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'vmtasks.retry',
        {
          'vmtasks.attempt': 1,
          'vmtasks.retry.delay_ms': expect.any(Number),
          'vmtasks.retry.reason': 'status',
          'http.response.status_code': 503,
        },
      ],
    ]);
  });

  it('records an error status as error.type and the span status, and a failure without a response by its class', async () => {
    const { spans } = registerProviders();
    const server = await serve((_req, res) => sendJson(res, 404, { message: 'no such thing' }));
    expect(await settle(call(transport(server.url), server.url))).toBeInstanceOf(ApiError);
    const refused = await closedPort();
    await settle(call(transport(`http://127.0.0.1:${refused}`, { retry: false }), `http://127.0.0.1:${refused}`));
    const [answered, unanswered] = spans();
    expect(answered?.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
    expect(answered?.status).toEqual({ code: 2 }); // ERROR, no description for an HTTP status
    expect(unanswered?.attributes['error.type']).toBe('TransportError');
    expect(unanswered?.attributes['http.response.status_code']).toBeUndefined();
    expect(unanswered?.status.code).toBe(2);
    expect(unanswered?.status.message).toMatch(/ECONNREFUSED/);
  });

  it('records http.client.request.duration in seconds with the semantic conventions’ buckets', async () => {
    const { metricsNow } = registerProviders();
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const t = transport(server.url);
    await call(t, server.url);
    await call(t, server.url);
    const metric = await durations(await metricsNow());
    expect(metric?.descriptor).toMatchObject({ unit: 's', type: 'HISTOGRAM' });
    expect(metric?.dataPointType).toBe(DataPointType.HISTOGRAM);
    const [point, ...others] = metric?.dataPoints ?? [];
    expect(others).toEqual([]);
    expect(point?.attributes).toEqual({
      'http.request.method': 'GET',
      'url.template': '/api/v1/things/{thing}',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'vmtasks.operation': 'getThing',
      'http.response.status_code': 200,
    });
    const value = point?.value as { count: number; sum: number; buckets: { boundaries: number[] } };
    expect(value.count).toBe(2);
    expect(value.buckets.boundaries).toEqual(DURATION_BUCKETS);
    // Seconds, not milliseconds: two local calls take far less than a minute.
    expect(value.sum).toBeGreaterThan(0);
    expect(value.sum).toBeLessThan(60);
  });

  it('records nothing without a provider, and nothing with `telemetry: false`', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const before = transport(server.url);
    await call(before, server.url);
    const { spans, metricsNow } = registerProviders();
    // A provider registered after the client was made is used from then on.
    await call(before, server.url);
    expect(spans()).toHaveLength(1);
    await call(transport(server.url, { telemetry: false }), server.url);
    expect(spans()).toHaveLength(1);
    const metric = await durations(await metricsNow());
    expect(metric?.dataPoints[0]?.value).toMatchObject({ count: 1 });
    expect(before.telemetry?.available).toBe(true);
  });

  it('works, recording nothing, when @opentelemetry/api cannot be loaded', async () => {
    const { spans, metricsNow } = registerProviders();
    const server = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    let loads = 0;
    const missing = (): Promise<unknown> => {
      loads++;
      return Promise.reject(Object.assign(new Error("Cannot find package '@opentelemetry/api'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    };
    const t = transport(server.url, { loadTelemetry: missing });
    expect(await call(t, server.url)).toEqual({ ok: true });
    expect(await call(t, server.url)).toEqual({ ok: true });
    expect(t.telemetry?.available).toBe(false);
    expect(loads).toBe(1);
    expect(spans()).toEqual([]);
    expect(await durations(await metricsNow())).toBeUndefined();
  });

  it('makes the spans of calls inside an active span its children', async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    cleanups.push(() => void context.disable());
    const { spans } = registerProviders();
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const t = transport(server.url);
    await trace.getTracer('test').startActiveSpan('parent', async (parent) => {
      await call(t, server.url);
      parent.end();
    });
    const [child, parent] = spans();
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
  });

  it('puts no secret in any attribute, event or status message, in any form a server echoes it or a redirect carries it', async () => {
    const { spans, metricsNow } = registerProviders();
    const secret = "tok(en)!wo'rd*~é/x<&>";
    const rfc3986 = encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const form = new URLSearchParams({ s: secret }).toString().slice(2);
    const basic = Buffer.from(`apiuser:${secret}`).toString('base64');
    let calls = 0;
    const server = await serve((req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 503, { echoed: req.headers });
      if (req.url.startsWith('/api/v1/r/')) return sendJson(res, 500, { echoed: req.headers, secret });
      res.writeHead(302, { location: `/api/v1/r/${rfc3986}/${CALL_TOKEN}?sid=1&q=${rfc3986}&t=${CALL_TOKEN}` });
      res.end();
    });
    // The first call is sent to a URL that itself carries the secret (path and query).
    const t = transport(server.url, {}, secret);
    const headers = { authorization: `Basic ${basic}`, 'x-call-token': `Bearer ${CALL_TOKEN}` };
    const error = await settle(
      t.invoke(getThing, { method: 'GET', url: `${server.url}/api/v1/things/${rfc3986}?token=${rfc3986}`, headers }),
    );
    expect(error).toBeInstanceOf(ApiError);
    const refused = await closedPort();
    const down = transport(`http://127.0.0.1:${refused}`, { retry: false }, secret);
    await settle(down.invoke(getThing, { method: 'GET', url: `http://127.0.0.1:${refused}/api/v1/things/${rfc3986}`, headers }));
    const recorded = spans();
    expect(recorded).toHaveLength(2);
    expect(recorded[0]?.attributes['http.request.resend_count']).toBe(2);
    const exporter = await metricsNow();
    const shown = [
      ...recorded.flatMap((span) => [
        span.name,
        JSON.stringify(span.attributes),
        JSON.stringify(span.events),
        JSON.stringify(span.status),
        inspect(span.attributes, { depth: Infinity }),
        inspect(span.events, { depth: Infinity }),
      ]),
      JSON.stringify(exporter.getMetrics()),
    ];
    const pathForm = new URL(`http://h/${secret}`).pathname.slice(1);
    for (const text of shown) {
      for (const each of [secret, rfc3986, form, pathForm, basic, CALL_TOKEN, encodeURIComponent(secret)]) expect(text).not.toContain(each);
    }
    expect(JSON.stringify(recorded[0]?.attributes)).toContain('[REDACTED]');
  });

  it('exports through the OTLP/HTTP exporter to a receiver on 127.0.0.1', async () => {
    const received: unknown[] = [];
    let arrived: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const receiver = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ path: req.url, type: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
        arrived();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    const { port } = receiver.address() as AddressInfo;
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
    cleanups.push(async () => {
      trace.disable();
      await provider.shutdown();
    });
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    await call(transport(server.url), server.url);
    await provider.forceFlush();
    await arrival;
    const [request] = received as { path: string; type: string; body: OtlpTraces }[];
    expect(request?.path).toBe('/v1/traces');
    expect(request?.type).toBe('application/json');
    const span = request?.body.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    expect(request?.body.resourceSpans[0]?.scopeSpans[0]?.scope.name).toBe('@vmtasks/core');
    expect(span?.name).toBe('GET /api/v1/things/{thing}');
    expect(span?.kind).toBe(3); // OTLP's SPAN_KIND_CLIENT
    const attributes = Object.fromEntries((span?.attributes ?? []).map(({ key, value }) => [key, value]));
    expect(attributes['url.template']).toEqual({ stringValue: '/api/v1/things/{thing}' });
    expect(attributes['http.response.status_code']).toEqual({ intValue: 200 });
    expect(attributes['vmtasks.operation']).toEqual({ stringValue: 'getThing' });
  });
});

interface OtlpTraces {
  resourceSpans: {
    scopeSpans: { scope: { name: string }; spans: { name: string; kind: number; attributes: { key: string; value: unknown }[] }[] }[];
  }[];
}
