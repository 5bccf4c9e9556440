import { inspect } from 'node:util';
import { closedPort, selfSignedCertificate, sendJson, startTestServer, type Handler, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, ApiError, MalformedResponseError, TimeoutError, TransportError, type RequestSummary } from './errors.js';
import { Redactor } from './redact.js';
import { Transport, type OperationSpec, type TransportOptions } from './transport.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler, tls?: { cert: string; key: string }): Promise<TestServer> {
  const server = await startTestServer(handler, { tls });
  servers.push(server);
  return server;
}

// Fast backoff keeps the suite quick; the policy itself is unchanged.
const fast = { baseDelayMs: 5, maxDelayMs: 2_000 };

function transport(options: TransportOptions = {}, secrets: string[] = []): Transport {
  return new Transport({ retry: fast, ...options, redactor: new Redactor(secrets) });
}

/** Through the openapi-fetch adapter, as the `raw` clients send. */
const get = (t: Transport, url: string, init: RequestInit = {}): Promise<Response> => t.fetchFor()(new Request(url, init));

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
    const response = await get(transport(), server.url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after `retries` and hands back the last error response', async () => {
    const server = await serve((_req, res) => sendJson(res, 502, { busy: true }));
    const response = await get(transport({ retry: { ...fast, retries: 3 } }), server.url);
    expect(response.status).toBe(502);
    expect(server.requests).toHaveLength(4);
  });

  it('does not retry when `retry: false`, nor a 500, nor a POST', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}));
    expect((await get(transport({ retry: false }), server.url)).status).toBe(503);
    expect(server.requests).toHaveLength(1);
    expect((await get(transport(), server.url, { method: 'POST', body: '{}' })).status).toBe(503);
    expect(server.requests).toHaveLength(2);

    const failing = await serve((_req, res) => sendJson(res, 500, {}));
    expect((await get(transport(), failing.url)).status).toBe(500);
    expect(failing.requests).toHaveLength(1);
  });

  it('waits as long as Retry-After says, in seconds or as an HTTP date', async () => {
    const seconds = await serve((_req, res, i) => (i === 0 ? sendJson(res, 503, {}, { 'retry-after': '1' }) : sendJson(res, 200, {})));
    expect((await get(transport(), seconds.url)).status).toBe(200);
    const [first, second] = seconds.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);

    const date = await serve((_req, res, i) =>
      i === 0 ? sendJson(res, 503, {}, { 'retry-after': new Date(Date.now() + 2_000).toUTCString() }) : sendJson(res, 200, {}),
    );
    expect((await get(transport(), date.url)).status).toBe(200);
    const [a, b] = date.requests;
    // HTTP dates have whole seconds: the wait is between 1 and 2 s.
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(900);
  });

  it('does not retry when Retry-After asks for longer than maxDelayMs', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}, { 'retry-after': '120' }));
    const started = Date.now();
    expect((await get(transport(), server.url)).status).toBe(503);
    expect(server.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('stops retrying once maxElapsedMs is spent', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}, { 'retry-after': '1' }));
    const response = await get(transport({ retry: { ...fast, retries: 10, maxElapsedMs: 1_500 } }), server.url);
    expect(response.status).toBe(503);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a refused connection, then throws a TransportError that says so', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/tasks`;
    const error = await get(transport(), url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    const transportError = error as TransportError;
    expect(transportError.attempts).toBe(3);
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
    expect(await (await get(transport(), server.url)).json()).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });
});

describe('timeouts and cancellation', () => {
  it('times out each attempt, headers or body, and throws a TimeoutError', async () => {
    const silent = await serve(() => undefined);
    const started = Date.now();
    const error = await get(transport({ timeoutMs: 200, retry: { ...fast, retries: 1 } }), silent.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).attempts).toBe(2);
    expect((error as TimeoutError).timeoutMs).toBe(200);
    expect(silent.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);

    const stalls = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
    });
    const stalled = await get(transport({ timeoutMs: 200, retry: false }), stalls.url).catch((e: unknown) => e);
    expect(stalled).toBeInstanceOf(TimeoutError);
  });

  it('lets one call override the timeout', async () => {
    const slow = await serve((_req, res) => void setTimeout(() => sendJson(res, 200, { ok: true }), 300));
    const t = transport({ timeoutMs: 100, retry: false });
    await expect(invoke(t, slow.url)).rejects.toBeInstanceOf(TimeoutError);
    await expect(invoke(t, slow.url, { timeoutMs: 2_000 })).resolves.toEqual({ ok: true });
  });

  it("cancels the attempt and every retry at once on the caller's signal", async () => {
    const silent = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await invoke(transport({ timeoutMs: 10_000 }), silent.url, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(silent.requests).toHaveLength(1);
  });

  it('cancels a backoff wait too', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}, { 'retry-after': '5' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const t = transport({ retry: { ...fast, maxDelayMs: 10_000 } });
    await expect(invoke(t, server.url, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('decoding', () => {
  it('turns an error status into the API error, keeping a non-JSON body as text', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    const error = await invoke(transport({ retry: false }), server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeError);
    expect((error as ProbeError).status).toBe(502);
    expect((error as ProbeError).body).toBe('<html>Bad Gateway</html>');
  });

  it('reports a 200 that is not JSON, or not the documented shape, as MalformedResponseError', async () => {
    const notJson = await serve((_req, res) => res.end('{"ok": tru'));
    const error = await invoke(transport(), notJson.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).rawBody).toBe('{"ok": tru');
    expect((error as MalformedResponseError).message).toContain('not JSON');

    const wrongShape = await serve((_req, res) => sendJson(res, 200, ['not', 'an', 'object']));
    await expect(invoke(transport(), wrongShape.url)).rejects.toThrow(/does not have the documented shape/);
  });
});

describe('secrets', () => {
  it('never shows a secret in any form of an error, even when the server echoes it', async () => {
    const secret = 'sub-8c1f-secret-id';
    const server = await serve((req, res) => sendJson(res, 400, { message: `bad header ${req.headers['x-token']}` }));
    const t = transport({ retry: false }, [secret]);
    const error = await t
      .invoke(probe, { method: 'GET', url: `${server.url}/?token=${secret}`, headers: { 'x-token': secret } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeError);
    const forms = [String(error), (error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 }), inspect(error, { showHidden: true, depth: 10 })];
    for (const form of forms) expect(form).not.toContain(secret);
    expect(JSON.stringify(error)).toContain('[REDACTED]');
  });
});

describe('TLS', () => {
  it('refuses a self-signed certificate by default, and accepts it with `ca` or an explicit opt-out', async () => {
    const certificate = await selfSignedCertificate();
    const server = await serve((_req, res) => sendJson(res, 200, { ok: true }), certificate);

    const refused = await get(transport({ retry: false }), server.url).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as TransportError).message).toMatch(/SELF_SIGNED|self[- ]signed/i);

    const trusted = transport({ tls: { ca: certificate.cert } });
    expect(await (await get(trusted, server.url)).json()).toEqual({ ok: true });
    await trusted.close();

    const insecure = transport({ tls: { rejectUnauthorized: false } });
    expect((await get(insecure, server.url)).status).toBe(200);
    await insecure.close();
  });
});
