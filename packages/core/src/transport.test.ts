// Real servers on 127.0.0.1. Timing assertions are lower bounds (load only makes waits longer) or
// generous upper bounds far from the values they guard; cancellation waits for the server to
// have the request (readiness), never for a fixed sleep.
import {
  closedPort,
  exposedForms,
  selfSignedCertificate,
  sendEndless,
  sendJson,
  startTestServer,
  type Handler,
  type TestServer,
} from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  AbortError,
  ApiError,
  ClientClosedError,
  MalformedResponseError,
  ResponseTooLargeError,
  RetryAfterTooLongError,
  TimeoutError,
  TransportError,
  type RequestSummary,
} from './errors.js';
import { Redactor } from './redact.js';
import { Transport, type OperationSpec, type TransportOptions } from './transport.js';

const servers: TestServer[] = [];
const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler, tls?: { cert: string; key: string }): Promise<TestServer> {
  const server = await startTestServer(handler, { tls });
  servers.push(server);
  return server;
}

// Fast backoff keeps the suite quick; the policy itself is unchanged.
const fast = { baseDelayMs: 5, maxDelayMs: 2_000 };

function transport(baseUrl: string, options: TransportOptions = {}, secrets: string[] = []): Transport {
  const made = new Transport({ retry: fast, ...options, baseUrl, redactor: new Redactor(secrets) });
  transports.push(made);
  return made;
}

/** Through the openapi-fetch adapter, as the `raw` clients send. */
const get = (t: Transport, url: string, init: RequestInit = {}): Promise<Response> => t.fetchFor()(new Request(url, init));
const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

class ProbeError extends ApiError {}
const probe: OperationSpec<{ ok: boolean }, ProbeError> = {
  operation: 'probe',
  method: 'GET',
  accepts: (value): value is { ok: boolean } => typeof value === 'object' && value !== null && 'ok' in value,
  toError: (status: number, body: unknown, request: RequestSummary) => new ProbeError(`HTTP ${status}`, { ...request, status, body }),
};

/** Through `invoke`, as the convenience methods send. */
function invoke(t: Transport, url: string, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<{ ok: boolean }> {
  return t.invoke(probe, { method: 'GET', url, headers: {} }, options);
}

describe('retries', () => {
  it('retries 503 and 429 on a GET, then returns the success', async () => {
    const server = await serve((_req, res, i) => (i < 2 ? sendJson(res, i === 0 ? 503 : 429, {}) : sendJson(res, 200, { ok: true })));
    const response = await get(transport(server.url), server.url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after `retries` and hands back the last error response', async () => {
    const server = await serve((_req, res) => sendJson(res, 502, { busy: true }));
    const response = await get(transport(server.url, { retry: { ...fast, retries: 3 } }), server.url);
    expect(response.status).toBe(502);
    expect(server.requests).toHaveLength(4);
  });

  it('does not retry when `retry: false`, nor a 500, nor a POST', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}));
    expect((await get(transport(server.url, { retry: false }), server.url)).status).toBe(503);
    expect(server.requests).toHaveLength(1);
    expect((await get(transport(server.url), server.url, { method: 'POST', body: '{}' })).status).toBe(503);
    expect(server.requests).toHaveLength(2);

    const failing = await serve((_req, res) => sendJson(res, 500, {}));
    expect((await get(transport(failing.url), failing.url)).status).toBe(500);
    expect(failing.requests).toHaveLength(1);
  });

  it('waits as long as Retry-After says, in seconds or as an HTTP date', async () => {
    const seconds = await serve((_req, res, i) => (i === 0 ? sendJson(res, 503, {}, { 'retry-after': '1' }) : sendJson(res, 200, {})));
    expect((await get(transport(seconds.url), seconds.url)).status).toBe(200);
    const [first, second] = seconds.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);

    const date = await serve((_req, res, i) =>
      i === 0 ? sendJson(res, 503, {}, { 'retry-after': new Date(Date.now() + 2_000).toUTCString() }) : sendJson(res, 200, {}),
    );
    expect((await get(transport(date.url), date.url)).status).toBe(200);
    const [a, b] = date.requests;
    // HTTP dates have whole seconds: the wait is between 1 and 2 s.
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(900);
  });

  it('ends with RetryAfterTooLongError when Retry-After asks for longer than maxDelayMs or the time left', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}, { 'retry-after': '120' }));
    const error = await failure(get(transport(server.url), server.url));
    expect(error).toBeInstanceOf(RetryAfterTooLongError);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 120_000, limitMs: 2_000, attempts: 1 });
    expect(server.requests).toHaveLength(1);

    const soon = await serve((_req, res) => sendJson(res, 503, {}, { 'retry-after': '1' }));
    const late = await failure(get(transport(soon.url, { retry: { ...fast, retries: 10, maxElapsedMs: 1_500 } }), soon.url));
    expect(late).toBeInstanceOf(RetryAfterTooLongError);
    expect((late as RetryAfterTooLongError).message).toMatch(/maxElapsedMs/);
    expect(soon.requests).toHaveLength(2);
  });

  it('retries a refused connection, then throws a TransportError that says so', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/tasks`;
    const error = await failure(get(transport(url), url));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    const transportError = error as TransportError;
    expect(transportError.attempts).toBe(3);
    expect(transportError.code).toBe('ECONNREFUSED');
    expect(transportError.message).toContain('ECONNREFUSED');
    expect(transportError.message).toContain('after 3 attempts');
    expect(transportError.cause).toBeInstanceOf(Error);
  });

  it('retries a connection the server drops mid-response', async () => {
    const server = await serve((_req, res, i) => {
      if (i === 0) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"ok":');
        res.socket?.destroy();
        return;
      }
      sendJson(res, 200, { ok: true });
    });
    expect(await (await get(transport(server.url), server.url)).json()).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });
});

describe('redirects', () => {
  it('keeps method and body on a same-origin 307/308, each time, through the pool or a user fetch', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/end') return sendJson(res, 201, { ok: true, got: req.body });
      res.writeHead(req.url === '/start' ? 307 : 308, { location: req.url === '/start' ? '/middle' : '/end' });
      res.end();
    });
    for (const options of [{}, { fetch: globalThis.fetch }]) {
      const response = await get(transport(server.url, options), `${server.url}/start`, { method: 'POST', body: '{"name":"x"}' });
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ ok: true, got: '{"name":"x"}' });
    }
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(
      Array.from({ length: 2 }, () => ['POST /start {"name":"x"}', 'POST /middle {"name":"x"}', 'POST /end {"name":"x"}']).flat(),
    );
  });

  it('turns a 303 into a GET without a body', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/see') return sendJson(res, 200, { ok: true });
      res.writeHead(303, { location: '/see' });
      res.end();
    });
    expect((await get(transport(server.url), `${server.url}/post`, { method: 'POST', body: 'x' })).status).toBe(200);
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(['POST /post x', 'GET /see ']);
  });
});

describe('timeouts and cancellation', () => {
  it('times out each attempt, headers or body, and throws a TimeoutError', async () => {
    const silent = await serve(() => undefined);
    const started = performance.now();
    const error = await failure(get(transport(silent.url, { timeoutMs: 200, retry: { ...fast, retries: 1 } }), silent.url));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ attempts: 2, timeoutMs: 200, limit: 'timeoutMs' });
    expect(silent.requests).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(395);

    const stalls = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
    });
    const stalled = await failure(get(transport(stalls.url, { timeoutMs: 200, retry: false }), stalls.url));
    expect(stalled).toBeInstanceOf(TimeoutError);
  });

  it('lets one call override the timeout', async () => {
    const slow = await serve((_req, res) => void setTimeout(() => sendJson(res, 200, { ok: true }), 300));
    const t = transport(slow.url, { timeoutMs: 100, retry: false });
    await expect(invoke(t, slow.url)).rejects.toBeInstanceOf(TimeoutError);
    await expect(invoke(t, slow.url, { timeoutMs: 20_000 })).resolves.toEqual({ ok: true });
  });

  it("cancels the attempt and every retry at once on the caller's signal", async () => {
    const controller = new AbortController();
    // Aborts once the server holds the request: no race with a loaded machine.
    const silent = await serve(() => controller.abort());
    const started = performance.now();
    const error = await failure(invoke(transport(silent.url, { timeoutMs: 60_000 }), silent.url, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(silent.requests).toHaveLength(1);
  });

  it('cancels a backoff wait too', async () => {
    const controller = new AbortController();
    const server = await serve((_req, res) => {
      sendJson(res, 503, {}, { 'retry-after': '30' });
      res.once('finish', () => setTimeout(() => controller.abort(), 50));
    });
    const started = performance.now();
    const t = transport(server.url, { retry: { ...fast, maxDelayMs: 60_000 } });
    await expect(invoke(t, server.url, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    // Far below the 30 s the server asked for.
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('start-up', () => {
  it('loads undici with the first request, not on import (most of what importing a client costs)', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    // A fresh process: this suite's own module graph has undici already.
    const script = `
      import { createRequire } from 'node:module';
      const cache = createRequire(import.meta.url).cache;
      const undiciLoaded = () => Object.keys(cache).some((file) => /[\\\\/]undici[\\\\/]/.test(file));
      const core = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
      const onImport = undiciLoaded();
      const transport = new core.Transport({ baseUrl: ${JSON.stringify(server.url)}, redactor: new core.Redactor([]) });
      const onCreate = undiciLoaded();
      const response = await transport.fetchFor()(new Request(${JSON.stringify(server.url)}));
      await transport.close();
      console.log(JSON.stringify({ onImport, onCreate, status: response.status, afterRequest: undiciLoaded() }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.dirname(fileURLToPath(import.meta.url)),
    });
    expect(JSON.parse(stdout)).toEqual({ onImport: false, onCreate: false, status: 200, afterRequest: true });
  });

  it('closed while its pool is being created: the call in flight ends as usual, the pool is closed, later calls are refused', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    const t = transport(server.url, { retry: false });
    const call = invoke(t, server.url);
    await t.close();
    await expect(call).resolves.toEqual({ ok: true });
    await expect(invoke(t, server.url)).rejects.toBeInstanceOf(ClientClosedError);
  });
});

describe('decoding', () => {
  it('turns an error status into the API error, keeping a non-JSON body as text', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    const error = await failure(invoke(transport(server.url, { retry: false }), server.url));
    expect(error).toBeInstanceOf(ProbeError);
    expect((error as ProbeError).status).toBe(502);
    expect((error as ProbeError).body).toBe('<html>Bad Gateway</html>');
  });

  it('reports a 200 that is not JSON, or not the documented shape, as MalformedResponseError', async () => {
    const notJson = await serve((_req, res) => res.end('{"ok": tru'));
    const error = await failure(invoke(transport(notJson.url), notJson.url));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).rawBody).toBe('{"ok": tru');
    expect((error as MalformedResponseError).message).toContain('not JSON');

    const wrongShape = await serve((_req, res) => sendJson(res, 200, ['not', 'an', 'object']));
    await expect(invoke(transport(wrongShape.url), wrongShape.url)).rejects.toThrow(/does not have the documented shape/);
  });

  it('keeps at most 64 KiB of an error body, marked as cut', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('x'.repeat(1024 * 1024));
    });
    const error = (await failure(invoke(transport(server.url), server.url))) as ProbeError;
    expect(error).toBeInstanceOf(ProbeError);
    expect(String(error.body).length).toBeLessThan(70 * 1024);
    expect(String(error.body)).toMatch(/\[cut: 1048576 characters in all\]$/);
  });
});

describe('size cap', () => {
  it('stops a body at maxResponseBytes through a user fetch too, without retrying', async () => {
    const server = await serve((_req, res) => {
      sendEndless(res);
    });
    const error = await failure(invoke(transport(server.url, { fetch: globalThis.fetch, maxResponseBytes: 1024 * 1024 }), server.url));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ status: 200, limitBytes: 1024 * 1024 });
    expect(server.requests).toHaveLength(1);
  });
});

describe('secrets', () => {
  it('never shows a secret in any form of an error, even when the server echoes it', async () => {
    const secret = 'sub-8c1f-secret-id';
    const server = await serve((req, res) => sendJson(res, 400, { message: `bad header ${req.headers['x-token']}` }));
    const t = transport(server.url, { retry: false }, [secret]);
    const error = await failure(t.invoke(probe, { method: 'GET', url: `${server.url}/?token=${secret}`, headers: { 'x-token': secret } }));
    expect(error).toBeInstanceOf(ProbeError);
    for (const form of exposedForms(error)) expect(form).not.toContain(secret);
    expect(JSON.stringify(error)).toContain('[REDACTED]');
  });
});

describe('TLS', () => {
  it('refuses a self-signed certificate by default, and accepts it with `ca` or an explicit opt-out', { timeout: 60_000 }, async () => {
    const certificate = await selfSignedCertificate();
    const server = await serve((_req, res) => sendJson(res, 200, { ok: true }), certificate);

    const refused = await failure(get(transport(server.url, { retry: false }), server.url));
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as TransportError).message).toMatch(/SELF_SIGNED|self[- ]signed/i);

    const trusted = transport(server.url, { tls: { ca: certificate.cert } });
    expect(await (await get(trusted, server.url)).json()).toEqual({ ok: true });

    const insecure = transport(server.url, { tls: { rejectUnauthorized: false } });
    expect((await get(insecure, server.url)).status).toBe(200);
  });
});
