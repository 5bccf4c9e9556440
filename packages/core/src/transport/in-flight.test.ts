import { sendJson, startTestServer, type TestServer } from '@vmtasks/testkit';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, ClientClosedError } from '../errors.js';
import { CLOSE_GRACE_MS } from './in-flight.js';
import { Redactor } from '../redact.js';
import { anyJson } from '../test-support/any-json.js';
import { Transport, type TransportOptions } from '../transport.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function transport(baseUrl: string, options: TransportOptions = {}): Transport {
  const made = new Transport({ ...options, baseUrl, redactor: new Redactor([]) });
  cleanups.push(() => made.close());
  return made;
}

async function serve(handler: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(handler);
  cleanups.push(() => server.close());
  return server;
}

const settled = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value: unknown) => value,
    (error: unknown) => error,
  );

/** Resolves once `condition` holds, checked every few ms: readiness, not a guessed sleep. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Records the timers of exactly 30 s set from now on (the wait `Retry-After: 30` asks for), and which were cleared. */
function watchRetryWaits(): { started: Set<unknown>; cleared: Set<unknown>; restore(): void } {
  const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
  const started = new Set<unknown>();
  const cleared = new Set<unknown>();
  globalThis.setTimeout = ((callback: () => void, ms?: number, ...args: unknown[]) => {
    const timer: unknown = Reflect.apply(realSet, globalThis, [callback, ms, ...args]);
    if (ms === 30_000) started.add(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    cleared.add(timer);
    realClear(timer);
  }) as typeof clearTimeout;
  return {
    started,
    cleared,
    restore: () => {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}

describe('close()', () => {
  it('does not wait for a TLS handshake that stalls: the call ends with ClientClosedError after a short grace', async () => {
    // Accepts the connection and never says a word: the TLS handshake never completes.
    const sockets = new Set<Socket>();
    const server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/tasks`;
    const t = transport(url, { tls: { rejectUnauthorized: false }, timeoutMs: 120_000, retry: false });
    const call = settled(t.invoke(anyJson, { method: 'GET', url, headers: {} }));
    await until(() => sockets.size > 0);

    const started = performance.now();
    await t.close();
    // undici's own connect timeout, 10 s, is what it waited for before; the grace is 2 s.
    expect(performance.now() - started).toBeLessThan(CLOSE_GRACE_MS + 6_000);
    expect(await call).toBeInstanceOf(ClientClosedError);
  });

  it('ends a Retry-After wait at once, leaving no timer behind; so does the caller aborting it', async () => {
    for (const end of ['close', 'abort'] as const) {
      const server = await serve((_req, res) => sendJson(res, 503, {}, { 'retry-after': '30' }));
      // An attempt's own limit is not 30 s, so the only 30 s timer is the wait.
      const t = transport(server.url, { retry: { maxDelayMs: 60_000 }, timeoutMs: 45_000 });
      const controller = new AbortController();
      const waits = watchRetryWaits();
      try {
        const call = settled(t.invoke(anyJson, { method: 'GET', url: server.url, headers: {} }, { signal: controller.signal }));
        // The wait has begun once its 30 s timer exists.
        await until(() => waits.started.size === 1);
        const started = performance.now();
        if (end === 'close') await t.close();
        else controller.abort();
        expect(await call).toBeInstanceOf(end === 'close' ? ClientClosedError : AbortError);
        expect(performance.now() - started, end).toBeLessThan(10_000);
        expect(
          [...waits.started].filter((timer) => !waits.cleared.has(timer)),
          end,
        ).toEqual([]);
        expect(server.requests, end).toHaveLength(1);
      } finally {
        waits.restore();
      }
    }
  });

  it('lets a request already sent finish, and refuses calls made after it', async () => {
    let answer: () => void = () => undefined;
    const server = await serve((_req, res) => {
      answer = () => sendJson(res, 200, { late: true });
    });
    const t = transport(server.url, { retry: false });
    const call = t.invoke(anyJson, { method: 'GET', url: server.url, headers: {} });
    await until(() => server.requests.length === 1);
    const closing = t.close();
    answer();
    await closing;
    expect(await call).toEqual({ late: true });
    expect(await settled(t.invoke(anyJson, { method: 'GET', url: server.url, headers: {} }))).toBeInstanceOf(ClientClosedError);
  });
});
