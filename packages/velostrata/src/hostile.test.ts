// What is specific to the Velostrata client against hostile servers (issue 9): its secret is a Basic
// password, which servers echo as the password, as base64, or inside the Authorization header. The
// transport's own behaviour (redirects, secrets in every form, bombs, timeouts, close) is in
// conformance.test.ts, the suite every client runs.
import { exposedForms, sendJson, startTestServer, type Handler, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  createVelostrataClient,
  VelostrataError,
  type VelostrataClient,
  type VelostrataClientOptions,
} from './index.js';

const PASSWORD = 'sub-0f1e2d3c-4b5a';
const BASIC = Buffer.from(`apiuser:${PASSWORD}`).toString('base64');
const SECRETS = [PASSWORD, BASIC, encodeURIComponent(BASIC)];

const servers: TestServer[] = [];
const clients: VelostrataClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

function client(server: TestServer, options: Partial<VelostrataClientOptions> = {}): VelostrataClient {
  const made = createVelostrataClient({ baseUrl: `${server.url}/velostrata/api/v42`, password: PASSWORD, retry: false, ...options });
  clients.push(made);
  return made;
}

function expectNothingExposed(error: unknown): void {
  for (const form of exposedForms(error)) for (const secret of SECRETS) expect(form).not.toContain(secret);
}

describe('Velostrata client against a hostile server', () => {
  it('redacts the password however the error body echoes it, url field included', async () => {
    const manager = await serve((req, res) =>
      sendJson(res, 401, {
        message: `bad credentials ${req.headers.authorization}`,
        url: `/velostrata/api/v42/login?pw=${encodeURIComponent(PASSWORD)}`,
        errorCode: PASSWORD,
        [BASIC]: PASSWORD,
      }),
    );
    const error = await client(manager)
      .listActiveTasks()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VelostrataError);
    expect(error).toMatchObject({ status: 401, message: 'bad credentials [REDACTED]', errorCode: '[REDACTED]' });
    expectNothingExposed(error);
  });

  it('redacts a password with reserved characters as a Java server echoes it: URLEncoder, HTML, escaped JSON', async () => {
    const password = "sub(0f1e)!2d'3c*~é/4b";
    const urlEncoder = new URLSearchParams({ p: password }).toString().slice(2).replaceAll('*', '%2A');
    const html = password.replace(/['&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const manager = await serve((_req, res) =>
      sendJson(res, 401, {
        message: `login failed for ${urlEncoder}`,
        detail: `<b>${html}</b> ${JSON.stringify(password).replaceAll('/', '\\/')}`,
      }),
    );
    const error = await client(manager, { password })
      .listActiveTasks()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VelostrataError);
    expect(error).toMatchObject({ status: 401, message: 'login failed for [REDACTED]' });
    for (const form of exposedForms(error)) for (const secret of [password, urlEncoder, html]) expect(form).not.toContain(secret);
  });

  it.each([
    ['an empty password', { password: '' }, 'password'],
    ['a blank password', { password: ' \t ' }, 'password'],
    ['a blank user name', { username: '  ' }, 'username'],
    ['a password with a line break', { password: `${PASSWORD}\n` }, 'password'],
    ['a numeric password', { password: 12345 as unknown as string }, 'password'],
    ['a user name with a colon', { username: 'api:user' }, 'username'],
    ['a path with a query', { baseUrl: 'https://mgr.example.com/velostrata/api/v42?x' }, 'baseUrl'],
  ])('refuses %s at construction, without echoing it', (_name, options, option) => {
    let error: unknown;
    try {
      createVelostrataClient({ baseUrl: 'https://mgr.example.com/velostrata/api/v42', password: PASSWORD, ...options });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ option });
    expectNothingExposed(error);
  });
});
