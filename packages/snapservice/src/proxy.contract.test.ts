// The real-server path (`SNAPSERVICE_URL=… npm run test:contract`): Prism proxies to the server
// and validates what it answers. Here the "server" is a small fake upstream on 127.0.0.1.
import { sendJson, startContractTarget, startTestServer, violationsIn, type ContractTarget, type TestServer } from '@vmtasks/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSnapserviceClient, SnapserviceError, type ListResult } from './index.js';

const conforming: ListResult = {
  items: [
    {
      task: 't-1',
      info: { description: { id: 'd', default_message: 'Snapshot', args: [] }, service: 's', operation: 'snapshot', status: 'RUNNING', cancelable: true },
    },
  ],
};
// `DONE` is not a task status, and `cancelable` must be a boolean.
const breaking = { items: [{ task: 't-2', info: { ...conforming.items[0]!.info, status: 'DONE', cancelable: 'yes' } }] };

let upstream: TestServer;
let target: ContractTarget;

beforeAll(async () => {
  upstream = await startTestServer((req, res) => sendJson(res, 200, req.url.includes('FAILED') ? breaking : conforming));
  target = await startContractTarget('snapservice', upstream.url);
});
afterAll(async () => {
  await target?.close();
  await upstream?.close();
});

it('passes a conforming answer through, and reports a breaking one naming the fields', async () => {
  const client = createSnapserviceClient({ baseUrl: target.url, sessionId: 's', retry: false });
  await expect(client.listTasks({ services: ['svc'], status: ['RUNNING'] })).resolves.toEqual(conforming);
  expect(upstream.requests[0]?.url).toBe('/api/snapservice/tasks?services=svc&status=RUNNING');
  expect(upstream.requests[0]?.headers['vmware-api-session-id']).toBe('s');

  const error = await client.listTasks({ services: ['svc'], status: ['FAILED'] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SnapserviceError);
  expect((error as SnapserviceError).status).toBe(500);
  const violations = violationsIn((error as SnapserviceError).body);
  expect(violations).toContainEqual(expect.stringMatching(/^response\.body\.items\.0\.info\.status: .*allowed values/));
  expect(violations).toContainEqual(expect.stringMatching(/^response\.body\.items\.0\.info\.cancelable: .*boolean/));
});

it('refuses an invalid request before it reaches the server', async () => {
  const client = createSnapserviceClient({ baseUrl: target.url, sessionId: 's', retry: false });
  const before = upstream.requests.length;
  // @ts-expect-error not a task status
  const { response } = await client.raw.GET('/api/snapservice/tasks', { params: { query: { status: ['DONE'] } } });
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(upstream.requests.length).toBe(before);
});
