import { inspect } from 'node:util';
import { sendJson, startTestServer, type Handler, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  createSnapserviceClient,
  InvalidRequestError,
  MalformedResponseError,
  SnapserviceError,
  type ListResult,
  type SnapserviceClientOptions,
  type TaskFilter,
} from './index.js';

const SESSION = 'b5c0e2f1-session-9a7e';
const result: ListResult = {
  items: [
    {
      task: 't-1',
      info: {
        description: { id: 'd', default_message: 'Snapshot', args: [] },
        service: 's',
        operation: 'snapshot',
        status: 'RUNNING',
        cancelable: true,
      },
    },
  ],
};

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(handler: Handler, options: Partial<SnapserviceClientOptions> = {}) {
  const server = await startTestServer(handler);
  servers.push(server);
  const client = createSnapserviceClient({ baseUrl: server.url, sessionId: SESSION, retry: { baseDelayMs: 5 }, ...options });
  return { server, client };
}

describe('listTasks', () => {
  it('serializes each filter as repeated keys, exactly as the spec says', async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, result));
    await client.listTasks({ services: ['svc'] });
    await client.listTasks({ services: ['svc'], status: ['RUNNING', 'FAILED'] });
    await client.listTasks({ tasks: ['t-1'], services: ['svc'], operations: ['op1', 'op2'], users: ['VSPHERE.LOCAL\\Administrator'] });
    await client.listTasks({ services: ['svc'], status: [] });
    expect(server.requests.map((r) => r.url)).toEqual([
      '/api/snapservice/tasks?services=svc',
      '/api/snapservice/tasks?services=svc&status=RUNNING&status=FAILED',
      '/api/snapservice/tasks?tasks=t-1&services=svc&operations=op1&operations=op2&users=VSPHERE.LOCAL%5CAdministrator',
      '/api/snapservice/tasks?services=svc',
    ]);
  });

  it('refuses a filter without tasks or services, asynchronously and before anything is sent', async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, result));
    const rogue: unknown[] = [undefined, null, {}, { status: ['RUNNING'] }, { tasks: [] }, { services: [], users: ['ops'] }];
    for (const filter of rogue) {
      const pending = client.listTasks(filter as TaskFilter);
      expect(pending).toBeInstanceOf(Promise);
      const error = await pending.catch((e: unknown) => e);
      expect(error, JSON.stringify(filter)).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'filter', operation: 'listTasks' });
      expect((error as Error).message).toMatch(/filter must name `tasks` or `services`/);
    }
    expect(server.requests).toEqual([]);
  });

  it('sends the session id, or the Authorization value verbatim', async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, result));
    await expect(client.listTasks({ services: ['svc'] })).resolves.toEqual(result);
    expect(server.requests[0]?.headers['vmware-api-session-id']).toBe(SESSION);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();

    const saml = await setup((_req, res) => sendJson(res, 200, result), { sessionId: undefined, authorization: 'SIGN token="PHNhbWw+"' });
    await saml.client.listTasks({ services: ['svc'] });
    expect(saml.server.requests[0]?.headers.authorization).toBe('SIGN token="PHNhbWw+"');
    expect(saml.server.requests[0]?.headers['vmware-api-session-id']).toBeUndefined();
  });

  it('throws SnapserviceError with the vAPI fields and a filled-in message', async () => {
    const body = {
      error_type: 'UNAUTHENTICATED',
      messages: [{ id: 'vapi.auth', default_message: 'User {0} cannot log in to {1}', args: ['ops', 'vc-1'] }],
      data: { hint: 'renew' },
      challenge: 'SIGN realm="snapservice"',
    };
    const { client } = await setup((_req, res) => sendJson(res, 401, body));
    const error = await client.listTasks({ services: ['svc'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapserviceError);
    expect(error).toMatchObject({
      status: 401,
      errorType: 'UNAUTHENTICATED',
      message: 'User ops cannot log in to vc-1',
      data: { hint: 'renew' },
      challenge: 'SIGN realm="snapservice"',
      messages: body.messages,
    });
  });

  it('falls back to the standard error of the status when the body is unreadable', async () => {
    const { client } = await setup(
      (_req, res) => {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('upstream down');
      },
      { retry: false },
    );
    const error = await client.listTasks({ services: ['svc'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, errorType: 'SERVICE_UNAVAILABLE', body: 'upstream down', messages: [] });
    expect((error as Error).message).toBe('HTTP 503 SERVICE_UNAVAILABLE from listTasks: upstream down');
  });

  it('reports fields of the wrong type as MalformedResponseError, before anything reads them; null counts as absent', async () => {
    const item = result.items[0]!;
    const withInfo = (info: Record<string, unknown>) => ({ ...item, info: { ...item.info, ...info } });
    for (const wrong of [
      { ...item, task: null },
      { ...item, task: 7 },
      { task: 't-2' },
      { ...item, info: [] },
      withInfo({ status: 5 }),
      withInfo({ operation: {} }),
      withInfo({ progress: 'x' }),
      withInfo({ progress: { total: '100', completed: 5, message: item.info.description } }),
      withInfo({ progress: { total: 100, completed: 5, message: { id: 'm' } } }),
      withInfo({ description: { id: 'd', default_message: 5, args: [] } }),
      withInfo({ description: { id: 'd', default_message: 'at {0}', args: [{}] } }),
      withInfo({ target: { type: 't', id: 9 } }),
      withInfo({ user: ['root'] }),
    ]) {
      const { client } = await setup((_req, res) => sendJson(res, 200, { items: [item, wrong] }));
      const error = await client.listTasks({ services: ['svc'] }).catch((e: unknown) => e);
      expect(error, JSON.stringify(wrong)).toBeInstanceOf(MalformedResponseError);
    }
    const nulls = withInfo({ progress: null, target: null, start_time: null, user: null });
    const { client } = await setup((_req, res) => sendJson(res, 200, { items: [nulls] }));
    expect((await client.listTasks({ services: ['svc'] })).items).toEqual([nulls]);
  });

  it('never shows the session id or token', async () => {
    const { client } = await setup((req, res) =>
      sendJson(res, 400, {
        error_type: 'INVALID_ARGUMENT',
        messages: [{ id: 'x', default_message: 'bad session {0}', args: [String(req.headers['vmware-api-session-id'])] }],
      }),
    );
    const error = await client.listTasks({ services: ['svc'] }).catch((e: unknown) => e);
    expect((error as SnapserviceError).errorType).toBe('INVALID_ARGUMENT');
    for (const form of [String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })])
      expect(form).not.toContain(SESSION);
  });

  it('passes a caller signal through', async () => {
    const { client } = await setup(() => undefined);
    await expect(client.listTasks({ services: ['svc'] }, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('the filter, checked before anything is sent', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>)['users'];
  });

  it('sends only its own parameters: an Object.prototype.users set elsewhere is not sent', async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, result));
    (Object.prototype as Record<string, unknown>)['users'] = ['polluted'];
    await client.listTasks({ services: ['svc'] });
    await client.raw.GET('/api/snapservice/tasks', { params: { query: { services: ['svc'] } } });
    expect(server.requests.map((r) => r.url)).toEqual(['/api/snapservice/tasks?services=svc', '/api/snapservice/tasks?services=svc']);
  });

  it('refuses a parameter the operation does not have, and values that are not strings, naming them', async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, result));
    const rogue: [unknown, string, RegExp][] = [
      [{ services: ['svc'], 'status&tasks=t-evil#': ['x'] }, 'filter.status&tasks=t-evil#', /is not a parameter of this operation/],
      [{ services: ['svc'], status: [5] }, 'filter.status[0]', /must be a string, got number/],
    ];
    for (const [filter, parameter, message] of rogue) {
      const error = await client.listTasks(filter as TaskFilter).catch((e: unknown) => e);
      expect(error, parameter).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter, message });
      const raw = await client.raw
        .GET('/api/snapservice/tasks', { params: { query: filter as { services: string[] } } })
        .catch((e: unknown) => e);
      expect(raw, `raw ${parameter}`).toMatchObject({ name: 'InvalidRequestError', parameter: parameter.replace('filter', 'query') });
    }
    expect(server.requests).toEqual([]);
  });
});

describe('createSnapserviceClient', () => {
  it('refuses no options, and no credential, naming the option', () => {
    expect(() => createSnapserviceClient(undefined as unknown as SnapserviceClientOptions)).toThrow(
      /createSnapserviceClient takes an options object/,
    );
    const error = (() => {
      try {
        createSnapserviceClient({ baseUrl: 'https://snap.example.com' });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      option: 'sessionId',
      message: expect.stringMatching(/^sessionId, authorization or username is required/),
    });
  });
});

describe('server text in messages', () => {
  it('shows CR, LF, escape sequences and bidi overrides as escapes; the body keeps them', async () => {
    const forged = 'Task failed\r\n2026-12-07 INFO all tasks succeeded \u001b[2J\u202etxt.exe';
    const body = { error_type: 'INVALID_ARGUMENT', messages: [{ id: 'x', default_message: forged, args: [] }] };
    const { client } = await setup((_req, res) => sendJson(res, 400, body));
    const error = (await client.listTasks({ services: ['svc'] }).catch((e: unknown) => e)) as SnapserviceError;
    expect(error.message).toBe('Task failed\\r\\n2026-12-07 INFO all tasks succeeded \\x1b[2J\\u202etxt.exe');
    expect(error.messages[0]?.default_message).toBe(forged);
  });
});
