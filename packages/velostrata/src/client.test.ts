import { inspect } from 'node:util';
import { sendJson, startTestServer, type Handler, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, MalformedResponseError, TimeoutError } from '@vmtasks/core';
import { createVelostrataClient, VelostrataError, type VelostrataClientOptions } from './index.js';

const PASSWORD = 'c0ffee00-sub-scription-1d';
const page = {
  _type: 'TaskDescriptionPage',
  number: 0,
  totalElements: 1,
  content: [{ id: { value: 'task-1', _type: 'TaskId' }, state: 'Running', taskType: 'ReplicateToRegion', progress: 40 }],
};

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(handler: Handler, options: Partial<VelostrataClientOptions> = {}) {
  const server = await startTestServer(handler);
  servers.push(server);
  const client = createVelostrataClient({
    baseUrl: `${server.url}/velostrata/api/v42`,
    password: PASSWORD,
    retry: { baseDelayMs: 5 },
    ...options,
  });
  return { server, client };
}

describe('listActiveTasks', () => {
  it('sends GET /tasks with Basic apiuser:<subscription id> and returns the page', async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, page));
    const result = await client.listActiveTasks();
    expect(result).toEqual(page);
    expect(result.content?.[0]?.taskType).toBe('ReplicateToRegion');
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/velostrata/api/v42/tasks');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`apiuser:${PASSWORD}`).toString('base64')}`);
    expect(request?.headers.accept).toBe('application/json');
  });

  it('uses another user name and per-call headers when given', async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, page), {
      username: 'ops',
      headers: { 'x-team': 'migration' },
    });
    await client.listActiveTasks({ headers: { 'x-request-id': 'r-1' } });
    const headers = server.requests[0]?.headers;
    expect(headers?.authorization).toBe(`Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`);
    expect(headers?.['x-team']).toBe('migration');
    expect(headers?.['x-request-id']).toBe('r-1');
  });

  it('throws VelostrataError with the ErrorInfo fields', async () => {
    const body = { errorCode: 'UNAUTHORIZED', url: '/velostrata/api/v42/tasks', message: 'Bad credentials' };
    const { client } = await setup((_req, res) => sendJson(res, 401, body));
    const error = await client.listActiveTasks().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VelostrataError);
    expect(error).toMatchObject({
      status: 401,
      errorCode: 'UNAUTHORIZED',
      url: body.url,
      message: 'Bad credentials',
      operation: 'getActiveTasks',
    });
  });

  it('still throws VelostrataError when the error body is HTML', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<h1>Internal Server Error</h1>');
    });
    const error = await client.listActiveTasks().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VelostrataError);
    expect(error).toMatchObject({ status: 500, errorCode: undefined, body: '<h1>Internal Server Error</h1>' });
    expect((error as Error).message).toBe('HTTP 500 from getActiveTasks: <h1>Internal Server Error</h1>');
  });

  it('retries a 503 by default', async () => {
    const { server, client } = await setup((_req, res, i) => (i === 0 ? sendJson(res, 503, {}) : sendJson(res, 200, page)));
    await expect(client.listActiveTasks()).resolves.toEqual(page);
    expect(server.requests).toHaveLength(2);
  });

  it('reports a truncated body as MalformedResponseError and a stall as TimeoutError', async () => {
    const truncated = await setup((_req, res) => void res.end('{"_type": "TaskDescriptionPage", "content": ['));
    await expect(truncated.client.listActiveTasks()).rejects.toBeInstanceOf(MalformedResponseError);
    const stalled = await setup(() => undefined, { timeoutMs: 100, retry: false });
    await expect(stalled.client.listActiveTasks()).rejects.toBeInstanceOf(TimeoutError);
  });

  it('reports fields of the wrong type as MalformedResponseError, before anything reads them; null counts as absent', async () => {
    const task = page.content[0]!;
    for (const wrong of [
      { progress: 'x' },
      { state: 5 },
      { id: { value: 7, _type: 'TaskId' } },
      { id: 'task-1' },
      { progressMessage: {} },
      { errorMessage: 'failed' },
      { entity: { value: ['vm-1'], _type: 'VmId' } },
      { startTime: 0 },
    ]) {
      const { client } = await setup((_req, res) => sendJson(res, 200, { ...page, content: [task, { ...task, ...wrong }] }));
      const error = await client.listActiveTasks().catch((e: unknown) => e);
      expect(error, JSON.stringify(wrong)).toBeInstanceOf(MalformedResponseError);
      expect((error as MalformedResponseError).message).toBe('getActiveTasks: HTTP 200 response does not have the documented shape');
    }
    const nulls = { ...task, errorDetails: null, errorMessage: null, entity: null, endTime: null };
    const { client } = await setup((_req, res) => sendJson(res, 200, { ...page, content: [nulls] }));
    expect((await client.listActiveTasks()).content).toEqual([nulls]);
  });

  it('never shows the password, even when the server echoes the Authorization header', async () => {
    const { client } = await setup((req, res) =>
      sendJson(res, 400, { message: `rejected ${req.headers.authorization}`, errorCode: PASSWORD }),
    );
    const error = await client.listActiveTasks().catch((e: unknown) => e);
    const basic = Buffer.from(`apiuser:${PASSWORD}`).toString('base64');
    for (const form of [String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
      expect(form).not.toContain(PASSWORD);
      expect(form).not.toContain(basic);
    }
  });

  it('the raw client shares auth and base URL', async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, page));
    const { data, response } = await client.raw.GET('/tasks');
    expect(response.status).toBe(200);
    expect(data?._type).toBe('TaskDescriptionPage');
    expect(server.requests[0]?.headers.authorization).toMatch(/^Basic /);
  });
});

describe('createVelostrataClient', () => {
  it('says what is missing', () => {
    for (const options of [undefined, null, 'https://mgr.example.com']) {
      const make = () => createVelostrataClient(options as unknown as VelostrataClientOptions);
      expect(make).toThrow(ConfigurationError);
      expect(make).toThrow(/createVelostrataClient takes an options object, e\.g\. createVelostrataClient\(\{ baseUrl, password: '…' \}\)/);
    }
    expect(() => createVelostrataClient({ baseUrl: 'mgr.example.com', password: 'x' })).toThrow(/absolute URL/);
    expect(() => createVelostrataClient({ baseUrl: 'https://mgr.example.com/velostrata/api/v42', password: '' })).toThrow(
      /subscription ID/,
    );
  });
});

describe('server text in messages', () => {
  it('shows CR, LF, escape sequences and C1 controls as escapes; the body keeps them', async () => {
    const forged = 'Bad credentials\r\nINFO login ok \u001b]0;owned\u0007\u009b31m';
    const { client } = await setup((_req, res) => sendJson(res, 401, { errorCode: 'UNAUTHORIZED', message: forged }));
    const error = (await client.listActiveTasks().catch((e: unknown) => e)) as VelostrataError;
    expect(error.message).toBe('Bad credentials\\r\\nINFO login ok \\x1b]0;owned\\x07\\u009b31m');
    expect(error.body).toMatchObject({ message: forged });
  });
});
