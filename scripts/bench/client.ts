import { fork } from 'node:child_process';
import path from 'node:path';
import createClient from 'openapi-fetch';
import { Pool } from 'undici';
import { createSnapserviceClient, type paths, type TaskFilter } from '@vmtasks/snapservice';
import { row, time, type Row } from './stats.js';

// Present when node runs with --expose-gc (npm run bench does).
const gc = (globalThis as { gc?: () => void }).gc;

/** A local server answering every request with the same ~2 KB ListResult, in its own process. */
async function startPayloadServer(): Promise<{ url: string; stop(): void }> {
  const child = fork(path.join(import.meta.dirname, 'payload-server.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve(Number(message)));
    child.once('error', reject);
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/**
 * Row 3: cost per `listTasks` call through @vmtasks/snapservice, against raw fetch + JSON.parse,
 * undici's own `request` on a keep-alive Pool, and a bare openapi-fetch client: same requests,
 * one process, alternating order between rounds.
 */
export async function clientCost(requests: number, rounds: number, heapBatches: number, heapRounds: number): Promise<Row[]> {
  const server = await startPayloadServer();
  const ours = createSnapserviceClient({ baseUrl: server.url, sessionId: 'bench' });
  const untraced = createSnapserviceClient({ baseUrl: server.url, sessionId: 'bench', telemetry: false });
  const traced = await withProviders();
  const pool = new Pool(server.url);
  try {
    const query = { services: ['com.vmware.snapservice.protection_group'], status: ['RUNNING'] } satisfies TaskFilter;
    const rawUrl = `${server.url}/api/snapservice/tasks?services=com.vmware.snapservice.protection_group&status=RUNNING`;
    const headers = { Accept: 'application/json', 'vmware-api-session-id': 'bench' };
    const bare = createClient<paths>({ baseUrl: server.url, headers });
    const rawPath = '/api/snapservice/tasks?services=com.vmware.snapservice.protection_group&status=RUNNING';

    const variants: Record<string, () => Promise<unknown>> = {
      raw: async () => {
        const response = await fetch(rawUrl, { headers });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return JSON.parse(await response.text()) as unknown;
      },
      // What any client with a per-request timeout pays: an AbortSignal and a timer per call.
      rawTimeout: async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 30_000);
        try {
          const response = await fetch(rawUrl, { headers, signal: controller.signal });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return JSON.parse(await response.text()) as unknown;
        } finally {
          clearTimeout(timer);
        }
      },
      // The floor: undici's dispatcher API, what the client sends through, with nothing around it.
      undici: async () => {
        const response = await pool.request({ method: 'GET', path: rawPath, headers });
        if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
        return JSON.parse(await response.body.text()) as unknown;
      },
      bare: async () => {
        const { data, error } = await bare.GET('/api/snapservice/tasks', { params: { query } });
        if (error || !data) throw new Error('bare openapi-fetch call failed');
        return data;
      },
      ours: () => ours.listTasks(query),
      // The same client with `telemetry: false`, and with a tracer and a meter provider registered
      // (process-wide, so only around this variant's batches).
      oursUntraced: () => untraced.listTasks(query),
      oursTraced: () => ours.listTasks(query),
    };
    const loop = async (call: () => Promise<unknown>, n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await call();
    };
    for (const [name, call] of Object.entries(variants)) {
      if (name === 'oursTraced') traced.register();
      await loop(call, Math.min(500, requests));
      if (name === 'oursTraced') traced.unregister();
    }

    // Each round sends `requests` calls per variant, alternating in batches of 100 with the order
    // rotating, so that a slow moment of the machine hits all three alike.
    const perRequest: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    const names = Object.keys(variants);
    const batch = Math.min(100, requests);
    for (let r = 0; r < rounds; r++) {
      const spent: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
      for (let b = 0; b < requests / batch; b++) {
        for (const name of [...names.slice(b % names.length), ...names.slice(0, b % names.length)]) {
          if (name === 'oursTraced') traced.register();
          spent[name]! += await time(() => loop(variants[name]!, batch));
          if (name === 'oursTraced') traced.unregister();
        }
      }
      for (const name of names) perRequest[name]!.push((spent[name]! * 1000) / requests);
    }

    // A leak grows with every call; warm-up allocations (JIT, sockets, caches) do not. So: one
    // batch to settle, then the heap after a full GC at the end of each further batch, and the
    // slope of the least-squares line through those points, in bytes kept per call. A single
    // difference between two heaps moves by hundreds of KiB whatever the code does; the slope over
    // `heapBatches` × `requests` calls does not. The same is measured with a leak planted on
    // purpose (an 8-element array kept per call, ~120 B), as proof in every run that the row
    // would show one.
    const settledHeap = async (): Promise<number> => {
      await new Promise((resolve) => setImmediate(resolve));
      gc?.();
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    const planted: number[][] = [];
    const leaky = async (): Promise<unknown> => {
      const result = await ours.listTasks(query);
      planted.push(new Array<number>(8).fill(planted.length)); // its own 8 slots, not a shared literal
      return result;
    };
    const retained: Record<'ours' | 'leaky', number[]> = { ours: [], leaky: [] };
    for (let r = 0; r < heapRounds; r++) {
      for (const [name, call] of [
        ['ours', variants['ours']!],
        ['leaky', leaky],
      ] as const) {
        await loop(call, requests);
        const points: [number, number][] = [[0, await settledHeap()]];
        for (let b = 1; b <= heapBatches; b++) {
          await loop(call, requests);
          points.push([b * requests, await settledHeap()]);
        }
        retained[name].push(slope(points));
        planted.length = 0;
      }
    }

    const ratio = (name: string): number[] => perRequest[name]!.map((value, i) => value / perRequest['raw']![i]!);
    return [
      row('client-raw', `3. raw fetch + JSON.parse, per request (${requests} sequential)`, 'µs', perRequest['raw']!),
      row('client-raw-timeout', '3. raw fetch + JSON.parse + per-request timeout signal', 'µs', perRequest['rawTimeout']!),
      row('client-undici', '3. undici request (keep-alive Pool) + JSON.parse, per request', 'µs', perRequest['undici']!),
      row('client-bare', '3. bare openapi-fetch, per request', 'µs', perRequest['bare']!),
      row('client-ours', '3. @vmtasks/snapservice listTasks, per request', 'µs', perRequest['ours']!),
      row('client-ours-untraced', '3. the same with telemetry: false', 'µs', perRequest['oursUntraced']!),
      row('client-ours-traced', '3. the same with a tracer and a meter provider registered', 'µs', perRequest['oursTraced']!),
      row(
        'client-ours-telemetry-ratio',
        '3. listTasks, telemetry on without a provider ÷ telemetry: false',
        '×',
        perRequest['ours']!.map((value, i) => value / perRequest['oursUntraced']![i]!),
      ),
      row('client-undici-ratio', '3. undici request ÷ raw fetch', '×', ratio('undici')),
      row('client-bare-ratio', '3. bare openapi-fetch ÷ raw fetch', '×', ratio('bare')),
      row('client-ours-ratio', '3. @vmtasks/snapservice listTasks ÷ raw fetch', '×', ratio('ours'), { max: 0.6, text: '≤ 0.6×' }),
      row('client-raw-timeout-ratio', '3. raw fetch with timeout signal ÷ raw fetch', '×', ratio('rawTimeout')),
      row(
        'client-heap-retained',
        `3. heap kept per listTasks call (slope over ${heapBatches} × ${requests} calls, after GC)`,
        'B',
        retained.ours,
        { max: 32, text: '≤ 32 B' },
        gc ? 'each sample: one round of batches' : 'run with --expose-gc for a meaningful figure',
      ),
      row('client-heap-planted-leak', '3. the same with a leak planted on purpose (~120 B a call): the row sees it', 'B', retained.leaky, {
        min: 64,
        text: '≥ 64 B',
      }),
    ];
  } finally {
    await ours.close();
    await untraced.close();
    await traced.shutdown();
    await pool.close();
    server.stop();
  }
}

/** The slope of the least-squares line through `points` (x, y). */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return covariance / variance;
}

/**
 * An OpenTelemetry SDK as an application would set it up (spans batched to an exporter, a meter
 * provider with a reader), registered only while `register()`…`unregister()`: the providers are
 * process-wide, and the other variants must run without them.
 */
async function withProviders() {
  const api = await import('@opentelemetry/api');
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } = await import(
    '@opentelemetry/sdk-metrics'
  );
  const exporter = { export: (_spans: unknown[], done: (result: { code: number }) => void) => done({ code: 0 }), shutdown: async () => {} };
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    register(): void {
      api.trace.setGlobalTracerProvider(tracerProvider);
      api.metrics.setGlobalMeterProvider(meterProvider);
    },
    unregister(): void {
      api.trace.disable();
      api.metrics.disable();
    },
    async shutdown(): Promise<void> {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
