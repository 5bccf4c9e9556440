import { ManualClock, sendJson, startTestServer, type TestServer } from '@vmtasks/testkit';
import { Redactor, Transport } from '@vmtasks/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REQUEST_LINE_BYTES, requestLineBatches } from './batches.js';
import { createSnapserviceClient, type ListItem } from './index.js';
import { snapserviceOperations } from './operations.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const SERVICE = 'com.vmware.snapservice.protection_group';
const succeeded = (task: string): ListItem => ({
  task,
  info: {
    description: { id: 'd', default_message: 'Snapshot', args: [] },
    service: SERVICE,
    operation: 'snapshot',
    status: 'SUCCEEDED',
    cancelable: false,
  },
});
// Ids that need encoding: ':' and '/' and spaces, non-ASCII, a '&' that must not split the query.
const ids = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(5, '0')}-é ü/&:${SERVICE}`);

describe('requestLineBatches', () => {
  const baseUrl = 'http://127.0.0.1:1/prefix';
  const { querySerializer, tasksUrl } = snapserviceOperations(new Transport({ baseUrl, redactor: new Redactor([]) }), baseUrl);
  const line = (batch: readonly string[]) =>
    Buffer.byteLength(`GET /prefix/api/snapservice/tasks?${querySerializer({ tasks: batch })} HTTP/1.1\r\n`);

  it('fills a batch up to the limit exactly, and starts the next one a byte over it', () => {
    const pair = ids.slice(0, 2);
    expect(requestLineBatches(pair, tasksUrl, querySerializer, line(pair))).toEqual([pair]);
    expect(requestLineBatches(pair, tasksUrl, querySerializer, line(pair) - 1)).toEqual([[pair[0]], [pair[1]]]);
  });

  it('gives an id too long to fit alone a batch of its own', () => {
    const long = 'x'.repeat(MAX_REQUEST_LINE_BYTES);
    expect(requestLineBatches(['a', long, 'b'], tasksUrl, querySerializer)).toEqual([['a'], [long], ['b']]);
  });
});

describe('concurrent waits against a server', () => {
  it('are read in listTasks batches whose request lines stay within 8 KiB, each as full as it can be', async () => {
    const server = await startTestServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      sendJson(res, 200, { items: url.searchParams.getAll('tasks').map(succeeded) });
    });
    servers.push(server);
    const client = createSnapserviceClient({ baseUrl: server.url, sessionId: 's', retry: false });
    const clock = new ManualClock();
    const infos = await clock.settle(Promise.all(ids.map((id) => client.waitForTask(id, { clock }))));
    expect(infos.every((info) => info.status === 'SUCCEEDED')).toBe(true);
    const lines = server.requests.map((r) => Buffer.byteLength(`GET ${r.url} HTTP/1.1\r\n`));
    expect(Math.max(...lines)).toBeLessThanOrEqual(MAX_REQUEST_LINE_BYTES);
    // Full: the next batch's first id would not have fitted.
    for (const [i, request] of server.requests.slice(1).entries()) {
      const firstPart = new URL(request.url, 'http://x').search.slice(1).split('&')[0]!;
      expect(lines[i]! + 1 + firstPart.length).toBeGreaterThan(MAX_REQUEST_LINE_BYTES);
    }
    expect(server.requests.flatMap((r) => new URL(r.url, 'http://x').searchParams.getAll('tasks')).sort()).toEqual([...ids].sort());
    await client.close();
  });
});

describe('concurrent waits on many tasks of one service', () => {
  const { querySerializer } = snapserviceOperations(new Transport({ baseUrl: 'http://x', redactor: new Redactor([]) }), 'http://x');
  const batches = requestLineBatches(ids, 'http://x/api/snapservice/tasks', querySerializer).length;
  /** Tasks of one service, running until the `finishAt`th request; `services=` answered (or refused with the vendor's too-many error). */
  async function appliance(refuseByService: boolean, finishAt: number) {
    const server = await startTestServer((req, res, index) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const status = index + 1 >= finishAt ? 'SUCCEEDED' : 'RUNNING';
      const item = (task: string): ListItem => ({ ...succeeded(task), info: { ...succeeded(task).info, status } });
      if (url.searchParams.has('services')) {
        if (refuseByService)
          sendJson(res, 500, {
            error_type: 'RESOURCE_INACCESSIBLE',
            messages: [{ id: 'com.vmware.snapservice.tasks.too_many', default_message: 'More than 1000', args: [] }],
          });
        else sendJson(res, 200, { items: [...ids, 'another-task'].map(item) });
      } else sendJson(res, 200, { items: url.searchParams.getAll('tasks').map(item) });
    });
    servers.push(server);
    const client = createSnapserviceClient({ baseUrl: server.url, sessionId: 's', retry: false });
    const clock = new ManualClock();
    const infos = await clock.settle(
      Promise.all(ids.map((id) => client.waitForTask(id, { clock, minIntervalMs: 5_000, maxIntervalMs: 5_000 }))),
    );
    await client.close();
    expect(infos.every((info) => info.status === 'SUCCEEDED')).toBe(true);
    return server.requests.map((r) => (new URL(r.url, 'http://x').searchParams.has('services') ? 'services' : 'tasks'));
  }

  it('reads them by service once their service is known, in one request a round', async () => {
    expect(batches).toBeGreaterThan(1);
    const kinds = await appliance(false, batches + 3);
    expect(kinds).toEqual([...Array(batches).fill('tasks'), 'services', 'services', 'services']);
  });

  it('falls back to ids for a service the vendor refuses to list (over 1,000 tasks), and does not ask again', async () => {
    const kinds = await appliance(true, 2 * batches + 2);
    expect(kinds).toEqual([...Array(batches).fill('tasks'), 'services', ...Array(batches).fill('tasks'), ...Array(batches).fill('tasks')]);
  });
});
