// Logging in with a user name and password: on first use, again once after a 401 (one login for
// every call that met it), out on logout() and close(); the token treated as the secret it is.
import { inspect } from 'node:util';
import { caught, exposedForms, sendJson, startTestServer, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createSnapserviceClient, MalformedResponseError, SnapserviceError } from './index.js';

const USER = 'ops@vsphere.local';
const PASSWORD = 'Pa55-w0rd-7c1e';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const info = {
  description: { id: 'm', default_message: 'Snapshot', args: [] },
  service: 's',
  operation: 'snapshot',
  status: 'RUNNING',
  cancelable: false,
};

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * An appliance with sessions: `POST /sessions` with the right Basic credential mints `token-N`;
 * a task call needs a live token; `expire()` ends every session; `echo` makes every 401 and 404
 * quote the request's headers back (a server that leaks).
 */
async function appliance(options: { echo?: boolean; token?: (n: number) => string } = {}) {
  const live = new Set<string>();
  let minted = 0;
  const server = await startTestServer((req, res) => {
    const token = req.headers['vmware-api-session-id'];
    const echoed = options.echo ? { data: { headers: req.headers } } : {};
    const unauthenticated = () =>
      sendJson(res, 401, {
        error_type: 'UNAUTHENTICATED',
        messages: [{ id: 'x', default_message: 'Session expired', args: [] }],
        ...echoed,
      });
    if (req.url === '/api/snapservice/sessions' && req.method === 'POST') {
      if (req.headers.authorization !== BASIC) return unauthenticated();
      minted += 1;
      const fresh = options.token?.(minted) ?? `token-${minted}-5f0c9a`;
      live.add(fresh);
      return sendJson(res, 201, fresh);
    }
    if (typeof token !== 'string' || !live.has(token)) return unauthenticated();
    if (req.url === '/api/snapservice/sessions' && req.method === 'DELETE') {
      live.delete(token);
      res.statusCode = 204;
      return res.end();
    }
    if (req.url === '/api/snapservice/sessions')
      return sendJson(res, 200, { user: USER, created_time: '2024-05-02T08:00:00Z', last_accessed_time: '2024-05-02T08:00:00Z' });
    if (req.url === '/api/snapservice/tasks/t-1') return sendJson(res, 200, info);
    return sendJson(res, 404, { error_type: 'NOT_FOUND', messages: [], ...echoed });
  });
  servers.push(server);
  const client = createSnapserviceClient({ baseUrl: server.url, username: USER, password: PASSWORD, retry: false });
  const logins = () => server.requests.filter((r) => r.method === 'POST').length;
  return { server, client, live, logins, expire: () => live.clear() };
}

describe('login with username and password', () => {
  it('logs in on first use and sends the token; nothing before the first call', async () => {
    const { server, client, logins } = await appliance();
    expect(logins()).toBe(0);
    expect(await client.getTask('t-1')).toEqual(info);
    expect(await client.getTask('t-1')).toEqual(info);
    expect(logins()).toBe(1);
    const [login, first, second] = server.requests;
    expect(login).toMatchObject({ method: 'POST', url: '/api/snapservice/sessions' });
    expect(login?.headers.authorization).toBe(BASIC);
    expect(first?.headers['vmware-api-session-id']).toBe('token-1-5f0c9a');
    expect(first?.headers.authorization).toBeUndefined(); // the password travels once, to log in
    expect(second?.headers['vmware-api-session-id']).toBe('token-1-5f0c9a');
  });

  it('logs in again once when the session expired, and repeats the call', async () => {
    const { client, logins, expire } = await appliance();
    await client.getTask('t-1');
    expire();
    expect(await client.getTask('t-1')).toEqual(info);
    expect(logins()).toBe(2);
  });

  it('fifty calls that meet the same 401 cause one login', async () => {
    const { client, logins, expire } = await appliance();
    await client.login();
    expire();
    const results = await Promise.all(Array.from({ length: 50 }, () => client.getTask('t-1')));
    expect(results).toHaveLength(50);
    expect(logins()).toBe(2);
  });

  it('a refused login is the typed 401, after one attempt; a refused retry is not looped', async () => {
    const { server } = await appliance();
    const wrong = createSnapserviceClient({ baseUrl: server.url, username: USER, password: 'nope', retry: false });
    const error = await caught(wrong.getTask('t-1'));
    expect(error).toBeInstanceOf(SnapserviceError);
    expect(error).toMatchObject({ status: 401, operation: 'createSession' });
    expect(server.requests).toHaveLength(1);
  });

  it('logout() ends the session on the server; the next call logs in again; getSession() reads it', async () => {
    const { client, live, logins } = await appliance();
    expect(await client.getSession()).toMatchObject({ user: USER });
    expect(live.size).toBe(1);
    await client.logout();
    expect(live.size).toBe(0);
    await client.getTask('t-1');
    expect(logins()).toBe(2);
  });

  it('close() logs out, and a dead appliance does not make it throw', async () => {
    const { client, live } = await appliance();
    await client.getTask('t-1');
    await client.close();
    expect(live.size).toBe(0);
    await client.close(); // idempotent

    const { server, client: orphan } = await appliance();
    await orphan.getTask('t-1');
    await server.close();
    await expect(orphan.close()).resolves.toBeUndefined();
  });

  it('never shows the password or the token, whatever the server echoes', async () => {
    const { client } = await appliance({ echo: true });
    await client.getTask('t-1');
    const error = await caught(client.getTask('t-2'));
    expect(error).toBeInstanceOf(SnapserviceError);
    const shown = exposedForms(error).join('\n') + inspect(error, { depth: 10 });
    for (const secret of ['token-1-5f0c9a', PASSWORD, BASIC.slice(6)]) expect(shown).not.toContain(secret);
  });

  it('a token that cannot be sent as a header is a MalformedResponseError that does not quote it', async () => {
    const { client } = await appliance({ token: () => 'evil\r\nX-Injected: 1' });
    const error = await caught(client.getTask('t-1'));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(JSON.stringify(error) + inspect(error)).not.toContain('evil');
  });

  it('refuses half a login, or no credential at all, naming the option', () => {
    expect(() => createSnapserviceClient({ baseUrl: 'https://snap.example.com', username: USER })).toThrow(ConfigurationError);
    expect(() => createSnapserviceClient({ baseUrl: 'https://snap.example.com', password: PASSWORD })).toThrow(/username/);
    expect(() => createSnapserviceClient({ baseUrl: 'https://snap.example.com' })).toThrow(/a credential is needed/);
  });
});
