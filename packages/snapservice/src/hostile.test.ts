// What is specific to the Snapservice (vAPI) client against a hostile server or a careless caller:
// vAPI message formatting, the task filter rules, its configuration. The transport's own behaviour
// (redirects, secrets in every form, bombs, Retry-After, timeouts, close) is in conformance.test.ts,
// the suite every client runs. Every case asserts the exact typed error and that no secret shows.
import { exposedForms, sendJson, startTestServer, type Handler, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  createSnapserviceClient,
  InvalidRequestError,
  SnapserviceError,
  type SnapserviceClient,
  type SnapserviceClientOptions,
} from './index.js';

const SESSION = 'sess-7f3a9c2e-long-lived';
const HEADER_TOKEN = 'hdr-tok-55aa77';
const SECRETS = [SESSION, HEADER_TOKEN];

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

describe('vAPI error bodies', () => {
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
});

describe('filters are checked before sending, never throwing synchronously', () => {
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
});
