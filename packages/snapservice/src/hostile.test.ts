// The transport as a hostile server and a careless caller would try it (issue 9): servers on
// 127.0.0.1 and 127.0.0.2 play the appliance and "another host". Every case asserts the exact
// typed error and that no secret shows in any form of it.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import {
  exposedForms,
  selfSignedCertificate,
  sendEndless,
  sendJson,
  startTestServer,
  type Handler,
  type TestServer,
} from '@vmtasks/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientClosedError,
  ConfigurationError,
  createSnapserviceClient,
  InvalidRequestError,
  MalformedResponseError,
  RedirectError,
  ResponseTooLargeError,
  RetryAfterTooLongError,
  SnapserviceError,
  TimeoutError,
  TransportError,
  type SnapserviceClient,
  type SnapserviceClientOptions,
} from './index.js';

const SESSION = 'sess-7f3a9c2e-long-lived';
const HEADER_TOKEN = 'hdr-tok-55aa77';
const CALL_TOKEN = 'call-bearer-q1w2e3';
const SECRETS = [SESSION, HEADER_TOKEN, CALL_TOKEN];

const servers: TestServer[] = [];
const clients: SnapserviceClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler, options: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
  const server = await startTestServer(handler, options);
  servers.push(server);
  return server;
}

function client(baseUrl: string, options: Partial<SnapserviceClientOptions> = {}): SnapserviceClient {
  const made = createSnapserviceClient({
    baseUrl,
    sessionId: SESSION,
    headers: { 'x-auth-token': HEADER_TOKEN },
    retry: { baseDelayMs: 5, maxDelayMs: 1_000 },
    ...options,
  });
  clients.push(made);
  return made;
}

const ok = { items: [] };
const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => error,
  );

/** No secret, in any form a server may echo it, in any form the error can be shown. */
function expectNothingExposed(error: unknown, secrets: readonly string[] = SECRETS): void {
  const forms = exposedForms(error);
  for (const form of forms) {
    expect(form).not.toMatch(/^UNSHOWABLE/);
    for (const secret of secrets) {
      expect(form).not.toContain(secret);
      expect(form).not.toContain(encodeURIComponent(secret));
    }
  }
}

describe('credentials never go to another origin', () => {
  it('refuses a redirect to another host, naming status and origin only; that host sees nothing', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, ok), { host: '127.0.0.2' });
    const appliance = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal/${SESSION}?sid=${SESSION}` });
      res.end();
    });
    const snap = client(appliance.url);
    for (const call of [() => snap.listTasks({ services: ['svc'] }), () => snap.raw.GET('/api/snapservice/tasks')]) {
      const error = await settle(call());
      expect(error).toBeInstanceOf(RedirectError);
      expect(error).toMatchObject({ status: 302, reason: 'cross-origin', targetOrigin: elsewhere.url });
      expect((error as RedirectError).message).toContain(elsewhere.url);
      expect((error as RedirectError).message).not.toContain('/steal');
      expectNothingExposed(error);
    }
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('refuses https → http, even to the same host', async () => {
    const certificate = await selfSignedCertificate();
    const plain = await serve((_req, res) => sendJson(res, 200, ok));
    const secure = await serve(
      (_req, res) => {
        res.writeHead(301, { location: `${plain.url}/api/snapservice/tasks` });
        res.end();
      },
      { tls: certificate },
    );
    const error = await settle(client(secure.url, { tls: { ca: certificate.cert } }).listTasks({ services: ['svc'] }));
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ status: 301, reason: 'downgrade', targetOrigin: plain.url });
    expectNothingExposed(error);
    expect(plain.requests).toHaveLength(0);
  });

  it('follows same-origin redirects with the credentials, up to maxRedirects', async () => {
    const appliance = await serve((req, res) => {
      if (req.url.startsWith('/moved')) return sendJson(res, 200, ok);
      res.writeHead(307, { location: '/moved/tasks' });
      res.end();
    });
    await expect(client(appliance.url).listTasks({ services: ['svc'] })).resolves.toEqual(ok);
    expect(appliance.requests.map((r) => [r.url, r.headers['vmware-api-session-id']])).toEqual([
      ['/api/snapservice/tasks?services=svc', SESSION],
      ['/moved/tasks', SESSION],
    ]);

    const loop = await serve((req, res) => {
      res.writeHead(302, { location: `/again${req.url}` });
      res.end();
    });
    const error = await settle(client(loop.url, { maxRedirects: 2 }).listTasks({ services: ['svc'] }));
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ reason: 'too-many', targetOrigin: loop.url });
    expectNothingExposed(error);
    expect(loop.requests).toHaveLength(3);
  });

  it('follows a same-origin Location with user info the same way with the pool and a user fetch, never sending it', async () => {
    const appliance = await serve((req, res) => {
      if (req.url === '/ok') return sendJson(res, 200, ok);
      res.writeHead(302, { location: `http://intruder:${SESSION}@127.0.0.1:${appliance.port}/ok` });
      res.end();
    });
    for (const options of [{}, { fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init) }]) {
      await expect(client(appliance.url, options).listTasks({ services: ['svc'] })).resolves.toEqual(ok);
    }
    expect(appliance.requests.filter((r) => r.url === '/ok').map((r) => r.headers['authorization'])).toEqual([undefined, undefined]);
  });

  it('refuses a raw request pointed at another origin before sending anything', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, ok), { host: '127.0.0.2' });
    const appliance = await serve((_req, res) => sendJson(res, 200, ok));
    const error = await settle(client(appliance.url).raw.GET('/api/snapservice/tasks', { baseUrl: elsewhere.url }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ parameter: 'baseUrl' });
    expectNothingExposed(error);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('refuses a per-call fetch on raw, which would follow a redirect to another host with the credentials', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, ok), { host: '127.0.0.2' });
    const appliance = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal` });
      res.end();
    });
    const error = await settle(client(appliance.url).raw.GET('/api/snapservice/tasks', { fetch: globalThis.fetch }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ parameter: 'fetch' });
    expectNothingExposed(error);
    expect(appliance.requests).toHaveLength(0);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('keeps a user-supplied fetch under the same policy', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, ok), { host: '127.0.0.2' });
    const appliance = await serve((req, res) => {
      if (req.url === '/ok') return sendJson(res, 200, ok);
      res.writeHead(302, { location: req.headers['x-where'] === 'away' ? `${elsewhere.url}/x` : '/ok' });
      res.end();
    });
    const seen: string[] = [];
    const fetch = (input: string, init: RequestInit): Promise<Response> => {
      seen.push(`${init.redirect} ${new URL(input).pathname}`);
      return globalThis.fetch(input, init);
    };
    const snap = client(appliance.url, { fetch });
    await expect(snap.listTasks({ services: ['svc'] })).resolves.toEqual(ok);
    expect(seen).toEqual(['manual /api/snapservice/tasks', 'manual /ok']);
    const error = await settle(snap.listTasks({ services: ['svc'] }, { headers: { 'x-where': 'away' } }));
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ reason: 'cross-origin' });
    expectNothingExposed(error);
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('secrets never leak', () => {
  it('replaces a JSON parse error that quotes the body by a summary', async () => {
    const appliance = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"session": "${req.headers['vmware-api-session-id']}", "broken`);
    });
    const error = await settle(client(appliance.url).listTasks({ services: ['svc'] }));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).cause).toBeInstanceOf(Error);
    expect((error as MalformedResponseError).rawBody).toContain('[REDACTED]');
    expectNothingExposed(error);
  });

  it('redacts JSON keys, header values echoed back, and the raw, escaped and encoded forms', async () => {
    const appliance = await serve((req, res) =>
      sendJson(res, 400, {
        error_type: 'INVALID_ARGUMENT',
        [req.headers['vmware-api-session-id'] as string]: 'as a key',
        echoed: req.headers,
        encoded: encodeURIComponent(String(req.headers['authorization'])),
      }),
    );
    const error = await settle(
      client(appliance.url, { retry: false }).listTasks({ services: ['svc'] }, { headers: { Authorization: `Bearer ${CALL_TOKEN}` } }),
    );
    expect(error).toBeInstanceOf(SnapserviceError);
    expect(error).toMatchObject({ status: 400, errorType: 'INVALID_ARGUMENT' });
    expect(JSON.stringify((error as SnapserviceError).body)).toContain('[REDACTED]');
    expectNothingExposed(error);
  });

  it('redacts a secret in a redirected URL', async () => {
    const appliance = await serve((req, res) => {
      if (req.url.startsWith('/r/')) return sendJson(res, 500, { error_type: 'ERROR' });
      res.writeHead(302, { location: `/r/${SESSION}?sid=${SESSION}` });
      res.end();
    });
    const error = await settle(client(appliance.url).listTasks({ services: ['svc'] }));
    expect(error).toBeInstanceOf(SnapserviceError);
    expect((error as SnapserviceError).url).toContain('/r/');
    expectNothingExposed(error);
  });

  it('redacts after the vAPI message is formatted, so {0} arguments are covered', async () => {
    const [head, tail] = [SESSION.slice(0, 9), SESSION.slice(9)];
    const appliance = await serve((_req, res) =>
      sendJson(res, 401, {
        error_type: 'UNAUTHENTICATED',
        messages: [{ id: 'x', default_message: `Session ${head}{0} expired`, args: [tail] }],
      }),
    );
    const error = await settle(client(appliance.url).listTasks({ services: ['svc'] }));
    expect(error).toBeInstanceOf(SnapserviceError);
    expect((error as SnapserviceError).message).toBe('Session [REDACTED] expired');
    expectNothingExposed(error);
  });

  it('redacts a secret however the server encodes it: form-encoded, RFC 3986, PHP JSON, HTML, a redirected URL', async () => {
    const secret = "tok(en)!wo'rd*~é/x<&>";
    const rfc3986 = encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const php = JSON.stringify(secret)
      .slice(1, -1)
      .replaceAll('/', '\\/')
      .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const html = secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const form = new URLSearchParams({ s: secret }).toString().slice(2);
    const appliance = await serve((req, res) => {
      if (req.url.startsWith('/r/')) {
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end(`<p>${html}</p><p>${rfc3986}</p><p>${php}</p><p>${form}</p>`);
      }
      // The URL parser re-encodes the path; the query is re-serialized as a form when a sid is hidden.
      res.writeHead(302, { location: `/r/${rfc3986}?sid=1&q=${rfc3986}` });
      res.end();
    });
    const error = await settle(client(appliance.url, { sessionId: secret }).listTasks({ services: ['svc'] }));
    expect(error).toBeInstanceOf(SnapserviceError);
    expect((error as SnapserviceError).body).toBe('<p>[REDACTED]</p><p>[REDACTED]</p><p>[REDACTED]</p><p>[REDACTED]</p>');
    const pathForm = new URL(`http://h/${secret}`).pathname.slice(1);
    expectNothingExposed(error, [secret, rfc3986, php, html, form, pathForm, form.toLowerCase()]);
  });

  it('never shows part of a secret where a long error body is cut', async () => {
    const appliance = await serve((req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      // Thousands of echoes before the cut: replacing them shortens the text, a secret straddles the
      // cut. The padding (from the filter) moves where the echoes fall.
      const padding = 'p'.repeat(Number(new URL(req.url, 'http://h').searchParams.get('services')));
      const echo = `${String(req.headers['vmware-api-session-id'])} `;
      res.end(padding + echo.repeat(Math.ceil(80_000 / echo.length)));
    });
    const snap = client(appliance.url);
    for (let padding = 0; padding < SESSION.length; padding += 3) {
      const error = await settle(snap.listTasks({ services: [String(padding)] }));
      expect(error).toBeInstanceOf(SnapserviceError);
      expect((error as SnapserviceError).body).toMatch(/\[cut: \d+ characters in all\]$/);
      expectNothingExposed(error, [SESSION.slice(0, 6)]);
    }
  });

  it('redacts short and JSON-escaped secrets', async () => {
    const tricky = 'a"b\\c/d';
    for (const sessionId of ['k9', tricky]) {
      const appliance = await serve((req, res) => {
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end(
          `got ${JSON.stringify(req.headers['vmware-api-session-id'])} and ${JSON.stringify({ s: req.headers['vmware-api-session-id'] }).replaceAll('/', '\\/')}`,
        );
      });
      const error = await settle(client(appliance.url, { sessionId }).listTasks({ services: ['svc'] }));
      expect(error).toBeInstanceOf(SnapserviceError);
      expectNothingExposed(error, [sessionId, JSON.stringify(sessionId).slice(1, -1)]);
    }
  });
});

describe('every failure is one typed error, always asynchronous', () => {
  it('rejects invalid filter values before sending, never throwing synchronously', async () => {
    const appliance = await serve((_req, res) => sendJson(res, 200, ok));
    const snap = client(appliance.url);
    const bad: [unknown, string][] = [
      [{ tasks: ['\uD800'] }, 'filter.tasks[0]'],
      [{ status: [{ nested: true }] }, 'filter.status[0]'],
      [{ services: [['deep']] }, 'filter.services[0]'],
      [{ users: { a: 1 } }, 'filter.users'],
    ];
    for (const [filter, parameter] of bad) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = snap.listTasks(filter as never);
      }).not.toThrow();
      const error = await settle(promise!);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter, operation: 'listTasks' });
      expectNothingExposed(error);
      const raw = await settle(snap.raw.GET('/api/snapservice/tasks', { params: { query: filter as never } }));
      expect(raw).toBeInstanceOf(InvalidRequestError);
      expect(raw).toMatchObject({ parameter: parameter.replace(/^filter/, 'query') });
    }
    expect(appliance.requests).toHaveLength(0);
  });

  it('rejects a raw call whose header no request can carry as a typed error that quotes nothing', async () => {
    const appliance = await serve((_req, res) => sendJson(res, 200, ok));
    const snap = client(appliance.url);
    for (const value of [`Bearer ${CALL_TOKEN}\nx`, `Bearer ${CALL_TOKEN}\0`, `Bearer ${CALL_TOKEN}€`]) {
      const error = await settle(snap.raw.GET('/api/snapservice/tasks', { headers: { Authorization: value } }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'request', operation: 'GET /api/snapservice/tasks' });
      expectNothingExposed(error);
    }
    expect(appliance.requests).toHaveLength(0);
  });

  it('handles a deeply nested error body without hitting a recursion limit', async () => {
    const depth = 2_400;
    const body = `{"error_type":"ERROR","data":${'{"a":'.repeat(depth)}"${SESSION}"${'}'.repeat(depth)}}`;
    expect(body.length).toBeLessThan(20_000);
    const appliance = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(body);
    });
    const error = await settle(client(appliance.url).listTasks({ services: ['svc'] }));
    expect(error).toBeInstanceOf(SnapserviceError);
    expect(error).toMatchObject({ status: 500, errorType: 'ERROR' });
    expectNothingExposed(error);
  });

  it('rejects a signal that is not an AbortSignal before sending, never crashing later', async () => {
    const appliance = await serve((_req, res) => sendJson(res, 200, ok));
    const snap = client(appliance.url, { timeoutMs: 50 });
    for (const signal of [{}, 'abort', { aborted: false }]) {
      const error = await settle(snap.listTasks({ services: ['svc'] }, { signal: signal as unknown as AbortSignal }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'signal', operation: 'listTasks' });
      expectNothingExposed(error);
    }
    expect(appliance.requests).toHaveLength(0);
  });

  it('makes close() idempotent and rejects later calls with ClientClosedError', async () => {
    const appliance = await serve((_req, res) => sendJson(res, 200, ok));
    const snap = client(appliance.url);
    await snap.listTasks({ services: ['svc'] });
    await expect(snap.close()).resolves.toBeUndefined();
    await expect(snap.close()).resolves.toBeUndefined();
    for (const call of [() => snap.listTasks({ services: ['svc'] }), () => snap.raw.GET('/api/snapservice/tasks')]) {
      const error = await settle(call());
      expect(error).toBeInstanceOf(ClientClosedError);
      expect((error as Error).message).toMatch(/closed/);
    }
    expect(appliance.requests).toHaveLength(1);
  });
});

describe('bounded resources', () => {
  // A gzip bomb: ~256 MiB of zeros in a few hundred KiB.
  let bomb: Buffer;
  beforeAll(() => {
    bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 });
  });

  const grows = async (run: () => Promise<unknown>): Promise<{ result: unknown; growthMiB: number }> => {
    const before = process.memoryUsage();
    const result = await run();
    const after = process.memoryUsage();
    return { result, growthMiB: (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20 };
  };

  it('stops a gzip bomb at maxResponseBytes, counted on decoded bytes', async () => {
    const appliance = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { result, growthMiB } = await grows(() => settle(client(appliance.url).listTasks({ services: ['svc'] })));
    expect(result).toBeInstanceOf(ResponseTooLargeError);
    expect(result).toMatchObject({ status: 200, limitBytes: 32 * 1024 * 1024 });
    expectNothingExposed(result);
    expect(growthMiB).toBeLessThan(128);
    expect(appliance.requests).toHaveLength(1);
  });

  it('stops deflate and brotli bombs at the cap with the same typed error', async () => {
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    const bombs = { deflate: deflateSync(zeros, { level: 9 }), br: brotliCompressSync(zeros) };
    const appliance = await serve((req, res) => {
      const coding = req.url.includes('services=br') ? 'br' : 'deflate';
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
      res.end(bombs[coding]);
    });
    for (const coding of Object.keys(bombs)) {
      const error = await settle(client(appliance.url, { maxResponseBytes: 1024 * 1024 }).listTasks({ services: [coding] }));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error).toMatchObject({ status: 200, limitBytes: 1024 * 1024 });
      expectNothingExposed(error);
    }
  });

  it('stops an endless body at the cap, and refuses an announced huge one at once', async () => {
    const appliance = await serve((req, res) => {
      if (req.url.includes('announced')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024 * 1024) });
        res.write('{"items":[');
        return;
      }
      sendEndless(res);
    });
    const snap = client(appliance.url, { maxResponseBytes: 4 * 1024 * 1024 });
    const endless = await settle(snap.listTasks({ services: ['svc'] }));
    expect(endless).toBeInstanceOf(ResponseTooLargeError);
    expect(endless).toMatchObject({ limitBytes: 4 * 1024 * 1024 });
    expectNothingExposed(endless);
    const announced = await settle(snap.listTasks({ services: ['svc'] }, { headers: { 'x-case': 'announced' } }));
    expect(announced).toBeInstanceOf(ResponseTooLargeError);
    expectNothingExposed(announced);
    // Not worth retrying: the next answer would be as large.
    expect(appliance.requests).toHaveLength(2);
  });
});

describe('time that holds', () => {
  it('ends with RetryAfterTooLongError when the server asks for more than the policy allows', async () => {
    const appliance = await serve((_req, res) => sendJson(res, 503, { error_type: 'SERVICE_UNAVAILABLE' }, { 'retry-after': '2200000' }));
    const error = await settle(
      client(appliance.url, { retry: { maxDelayMs: 2 ** 31 - 1, maxElapsedMs: 2 ** 31 - 1 } }).listTasks({ services: ['svc'] }),
    );
    expect(error).toBeInstanceOf(RetryAfterTooLongError);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 2_200_000_000, attempts: 1 });
    expect((error as RetryAfterTooLongError).limitMs).toBeGreaterThan(2 ** 31 - 60_000);
    expect((error as Error).message).toMatch(/2200000 s/);
    expectNothingExposed(error);
    expect(appliance.requests).toHaveLength(1);
  });

  it('still backs off on Retry-After: 0', async () => {
    const appliance = await serve((req, res) =>
      sendJson(res, 503, { error_type: 'SERVICE_UNAVAILABLE', echo: req.headers['vmware-api-session-id'] }, { 'retry-after': '0' }),
    );
    const error = await settle(client(appliance.url, { retry: { retries: 4, baseDelayMs: 80 } }).listTasks({ services: ['svc'] }));
    expect(error).toBeInstanceOf(SnapserviceError);
    expect(error).toMatchObject({ status: 503, errorType: 'SERVICE_UNAVAILABLE' });
    expectNothingExposed(error);
    expect(appliance.requests).toHaveLength(5);
    const gaps = appliance.requests.slice(1).map((r, i) => r.at - appliance.requests[i]!.at);
    // Equal jitter: retry n waits at least ½·80·2ⁿ⁻¹ ms. Load only makes gaps longer.
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(40 * 2 ** i - 2));
  });

  it('bounds the whole call by maxElapsedMs, cutting the attempt that runs into it', async () => {
    const silent = await serve(() => undefined);
    const started = performance.now();
    const error = await settle(client(silent.url, { timeoutMs: 60_000, retry: { maxElapsedMs: 400 } }).listTasks({ services: ['svc'] }));
    const took = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ limit: 'maxElapsedMs', timeoutMs: 400, attempts: 1 });
    expect(took).toBeGreaterThanOrEqual(395);
    expect(took).toBeLessThan(10_000);
    expectNothingExposed(error);
  });
});

describe('bad configuration is refused at construction, naming the option', () => {
  const base = 'https://snap.example.com';
  const cases: [string, Partial<SnapserviceClientOptions>, string][] = [
    ['a query in baseUrl', { baseUrl: `${base}/?x=1` }, 'baseUrl'],
    ['a fragment in baseUrl', { baseUrl: `${base}/#top` }, 'baseUrl'],
    ['trailing spaces in baseUrl', { baseUrl: `${base}  ` }, 'baseUrl'],
    ['tls with an http baseUrl', { baseUrl: 'http://snap.example.com', tls: { rejectUnauthorized: false } }, 'tls'],
    ['a servername that is not a host name', { tls: { servername: 5 as unknown as string } }, 'tls.servername'],
    ['a CA that does not parse', { tls: { ca: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----' } }, 'tls.ca'],
    ['an empty session id', { sessionId: '' }, 'sessionId'],
    ['a blank session id', { sessionId: '   ' }, 'sessionId'],
    ['no credential at all', { sessionId: undefined }, 'sessionId'],
    ['a numeric session id', { sessionId: 42 as unknown as string }, 'sessionId'],
    ['CR/LF in a session id', { sessionId: `${SESSION}\r\nX-Evil: 1` }, 'sessionId'],
    ['a session id beyond Latin-1 (no header can carry it)', { sessionId: `${SESSION}€` }, 'sessionId'],
    ['an authorization beyond Latin-1', { authorization: `SIGN token="${SESSION}€"` }, 'authorization'],
    ['CR/LF in a header', { headers: { 'x-auth-token': `${HEADER_TOKEN}\r\n` } }, 'headers.x-auth-token'],
    ['a fractional retry count', { retry: { retries: 1.5 } }, 'retry.retries'],
    ['a timeout past the timer limit', { timeoutMs: 3e9 }, 'timeoutMs'],
    ['an infinite delay', { retry: { maxDelayMs: Infinity } }, 'retry.maxDelayMs'],
    ['a zero size cap', { maxResponseBytes: 0 }, 'maxResponseBytes'],
  ];
  it.each(cases)('%s', (_name, options, option) => {
    let error: unknown;
    try {
      createSnapserviceClient({ baseUrl: base, sessionId: SESSION, ...options });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ option });
    expect((error as Error).message).toContain(option.split('.')[0]);
    expectNothingExposed(error);
  });

  it('rejects a bad per-call header before sending, without retrying', async () => {
    const appliance = await serve((_req, res) => sendJson(res, 200, ok));
    const error = await settle(client(appliance.url).listTasks({ services: ['svc'] }, { headers: { 'x-trace': `${CALL_TOKEN}\r\nx: y` } }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ parameter: 'headers.x-trace' });
    expectNothingExposed(error);
    expect(appliance.requests).toHaveLength(0);
  });
});

describe('retry only what can heal', () => {
  it('does not retry a certificate failure', async () => {
    const certificate = await selfSignedCertificate();
    const secure = await serve((_req, res) => sendJson(res, 200, ok), { tls: certificate });
    const error = await settle(client(secure.url).listTasks({ services: ['svc'] }));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ attempts: 1, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expectNothingExposed(error);
  });

  it('does not retry ENOTFOUND, retries EAI_AGAIN and resets', async () => {
    const appliance = await serve((_req, res) => sendJson(res, 200, ok));
    for (const [code, calls] of [
      ['ENOTFOUND', 1],
      ['EAI_AGAIN', 3],
      ['ECONNRESET', 3],
    ] as const) {
      let count = 0;
      const fetch = (): Promise<Response> => {
        count++;
        return Promise.reject(
          new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ${code} snap.example.com`), { code }) }),
        );
      };
      const error = await settle(client(appliance.url, { fetch }).listTasks({ services: ['svc'] }));
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code, attempts: calls });
      expectNothingExposed(error);
      expect(count).toBe(calls);
    }
  });
});

describe('one shared signal', () => {
  it('serves many concurrent calls on one AbortSignal without MaxListenersExceededWarning', async () => {
    const appliance = await serve((_req, res) => sendJson(res, 200, ok));
    const snap = client(appliance.url);
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const calls = Array.from({ length: 64 }, () => snap.listTasks({ services: ['svc'] }, { signal: controller.signal }));
      const raws = Array.from({ length: 64 }, () => snap.raw.GET('/api/snapservice/tasks', { signal: controller.signal }));
      await expect(Promise.all([...calls, ...raws])).resolves.toHaveLength(128);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  });
});
